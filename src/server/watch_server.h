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
//   GET  /explore/NAME[,NAME...]/   the explorer on those snapshots, loaded
//                                   in this process on first use (one set at a time)
//
// It runs on the bounded server of server/http_server.h (slow or flooding
// clients cannot hold it) and binds to 127.0.0.1 unless told otherwise.
// Every request needs the access token and, on loopback, a Host that names
// this server exactly (server/access.h); snapshot names are only matched
// against the directory listing and opened without following links.
// Captures on request are one at a time (409 while one runs) and rationed
// (429 with Retry-After), see watch/capture_requests.h.
#pragma once

#include <memory>
#include <string>

#include "explore/snapshot_set.h"
#include "server/access.h"
#include "server/http_server.h"
#include "server/worker_queue.h"
#include "watch/capture_requests.h"
#include "watch/snapshot_store.h"
#include "watch/watch_state.h"

namespace heapwise::server {

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
  // Binds and starts serving on its own thread; throws ListenError.
  WatchServer(const ListenAddress& address, const ServerOptions& options, watch::SharedWatchState& state,
              watch::CaptureRequests& captures, const watch::SnapshotStore& store);
  ~WatchServer();  // stops serving and joins
  WatchServer(const WatchServer&) = delete;
  WatchServer& operator=(const WatchServer&) = delete;

  // The bound port (the one chosen when asked for port 0).
  int port() const { return http_->port(); }
  // The dashboard's URL, with the access token.
  std::string url() const;
  // Answers one request, as the HTTP server's handler (public so that the
  // HTTP fuzz target can ask without a socket).
  void handle(const HttpRequest& req, const Respond& respond);

 private:
  HttpResponse route(const HttpRequest& req) const;
  void capture_now(const Respond& respond);
  // /explore/...: the page, or a question answered on the worker.
  void explore(const HttpRequest& req, const Respond& respond);
  // On the worker: the snapshots named by `series` ("a,b,c"), loaded once.
  explore::SnapshotSet& explored(const std::string& series);

  ListenAddress address_;
  AccessRules access_;
  watch::SharedWatchState& state_;
  watch::CaptureRequests& captures_;
  const watch::SnapshotStore& store_;
  // The explorer's: touched on the worker's thread only.
  std::string explored_series_;
  std::unique_ptr<explore::SnapshotSet> explored_;
  WorkerQueue worker_;
  std::unique_ptr<HttpServer> http_;  // last: stopped first
};

}  // namespace heapwise::server
