// TargetSession: the one inspector session heapwise keeps with a live
// process: how the target was named (--pid, --inspect, --url), the CDP
// client, and the promise to leave things as they were: close the port if
// we opened it (also if heapwise dies: a watchdog planted in the target
// closes it once no client is connected), never block the target on the
// way out, never leave a session that blocks the target's exit.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "live/cdp_client.h"
#include "live/process_attach.h"

namespace heapwise::live {

struct TargetSpec {
  std::optional<pid_t> pid;
  std::optional<std::string> inspect;  // HOST:PORT
  std::optional<std::string> url;      // ws://...
  std::string describe() const;
};

class TargetSession {
 public:
  // Resolves and connects; throws AttachError (exit 4) when unreachable.
  explicit TargetSession(const TargetSpec& spec);
  // A session over a client connected some other way (the fuzz target's
  // scripted inspector): no PID, nothing to restore but the connection.
  explicit TargetSession(std::unique_ptr<CdpClient> client) : client_(std::move(client)) {}
  ~TargetSession();  // leave(): restores the inspector state
  TargetSession(const TargetSession&) = delete;
  TargetSession& operator=(const TargetSession&) = delete;

  CdpClient& cdp() { return *client_; }
  const std::string& websocket_url() const { return url_; }
  pid_t target_pid() const { return pid_; }
  // Closes the session; closes the inspector port too when we opened it,
  // unless another client is attached (then the watchdog closes it after
  // them, and a line on stderr says so).
  void leave();

 private:
  std::unique_ptr<CdpClient> client_;
  std::string url_;
  void plant_watchdog();

  pid_t pid_ = 0;
  uint16_t port_ = 0;  // the inspector's, when found by PID
  bool opened_by_us_ = false;
  bool watchdog_ = false;  // planted and able to see the connections
  bool left_ = false;
};

}  // namespace heapwise::live
