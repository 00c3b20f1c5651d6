// Snapshot captures asked for over HTTP (POST /memory/snapshot). The
// inspector session belongs to the watch loop's thread, so a request waits
// here and the loop runs it between samples, then answers it. One request
// at a time: another while one waits or runs is answered `busy` at once,
// and one too soon after the last capture `rationed` (capture_ration.h),
// so no client can queue captures or keep the target stopped. When the
// watch ends, the waiting and later requests are answered `unavailable`.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "watch/capture_ration.h"

namespace heapwise::watch {

struct CaptureOutcome {
  enum class Status {
    taken,       // `file` was written
    refused,     // not now: heap too big, no memory or disk headroom (`reason`)
    busy,        // another requested capture waits or runs
    rationed,    // too soon after the last capture: try in `retry_after` seconds
    unavailable  // the watch is ending or the target is gone (`reason`)
  };
  Status status = Status::taken;
  std::string file;  // name inside the snapshot directory
  std::string reason;
  uint64_t bytes = 0;
  double seconds = 0;
  double retry_after = 0;

  static CaptureOutcome because(Status status, std::string why) {
    CaptureOutcome o;
    o.status = status;
    o.reason = std::move(why);
    return o;
  }
};

class CaptureRequests {
 public:
  using Done = std::function<void(const CaptureOutcome&)>;

  explicit CaptureRequests(CaptureRation ration = {}) : ration_(ration) {}

  // HTTP side: `done` is called once, at once when the request cannot be
  // taken, else from the watch loop's thread when the capture is over.
  // `now`: seconds since the epoch.
  void submit(Done done, double now);
  // Watch-loop side: runs `capture` for the waiting request, if any.
  void serve(const std::function<CaptureOutcome()>& capture);
  bool pending() const;
  // Every capture the watch takes (hunts too) counts for the ration.
  void captured(double end, double seconds);
  // Answers the waiting and every later request `unavailable` with `reason`.
  void close(const std::string& reason);

 private:
  mutable std::mutex mutex_;
  CaptureRation ration_;
  std::optional<Done> waiting_;
  bool running_ = false;
  bool closed_ = false;
  std::string closed_reason_;
  double last_end_ = -1, last_seconds_ = 0;
};

}  // namespace heapwise::watch
