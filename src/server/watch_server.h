// The HTTP server of `heapwise watch --listen`: the JSON API, Prometheus
// metrics, captures on request, snapshot downloads and the dashboard page.
//
//   GET  /                          the dashboard (web/dashboard.html, embedded)
//   GET  /memory/stats              current figures
//   GET  /memory/report             history, trend, alerts, snapshots, last leak report
//   POST /memory/snapshot           capture now; answers with the file name
//   GET  /memory/snapshots          the snapshot directory's heapwise snapshots
//   GET  /memory/snapshots/NAME     download one of them
//   GET  /metrics                   Prometheus text format
//
// cpp-httplib (Debian's libcpp-httplib) serves it from a small thread pool,
// which suits a few local endpoints and lets POST /memory/snapshot simply
// wait for the watch loop to run the capture. It binds to 127.0.0.1 unless
// told otherwise. Every request needs the access token and, on loopback,
// a Host that names this server exactly (server/access.h); snapshot names
// are only matched against the directory listing.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "server/access.h"
#include "watch/capture_requests.h"
#include "watch/snapshot_store.h"
#include "watch/watch_state.h"

namespace httplib {
class Server;
struct Response;
}  // namespace httplib

namespace heapwise::server {

// The address cannot be listened on (in use, not local, no permission).
struct ListenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ListenAddress {
  std::string host = "127.0.0.1";
  int port = 9898;
};

struct ServerOptions {
  bool metrics_open = false;  // /metrics without the access token
};
// "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT"; throws std::invalid_argument.
ListenAddress parse_listen_address(const std::string& text);

class WatchServer {
 public:
  // Binds and starts serving on its own threads; throws ListenError.
  WatchServer(const ListenAddress& address, const ServerOptions& options, watch::SharedWatchState& state,
              watch::CaptureRequests& captures, const watch::SnapshotStore& store);
  ~WatchServer();  // stops serving and joins
  WatchServer(const WatchServer&) = delete;
  WatchServer& operator=(const WatchServer&) = delete;

  // The bound port (the one chosen when asked for port 0).
  int port() const { return port_; }
  // The dashboard's URL, with the access token.
  std::string url() const;

 private:
  void route();
  void capture_now(httplib::Response& res);

  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  ListenAddress address_;
  int port_ = 0;
  AccessRules access_;
  watch::SharedWatchState& state_;
  watch::CaptureRequests& captures_;
  const watch::SnapshotStore& store_;
};

}  // namespace heapwise::server
