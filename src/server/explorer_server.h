// The HTTP server of `heapwise open`: the explorer page and its questions.
//
//   GET /                 the explorer (web/explorer.html, embedded)
//   GET /api/NAME?...     one question of explore/queries.h, as JSON
//
// Same guards as the watch's server (server/access.h, server/http_server.h):
// loopback by default, the Host must name it, every request needs the
// token of the printed URL. Questions run one at a time on a worker thread,
// so a slow one never holds the socket thread; the page asks for small pages.
#pragma once

#include <memory>

#include "explore/snapshot_set.h"
#include "server/access.h"
#include "server/http_server.h"
#include "server/watch_server.h"
#include "server/worker_queue.h"

namespace heapwise::server {

class ExplorerServer {
 public:
  // Binds and starts serving; throws ListenError.
  ExplorerServer(const ListenAddress& address, explore::SnapshotSet& snapshots);
  ExplorerServer(const ExplorerServer&) = delete;
  ExplorerServer& operator=(const ExplorerServer&) = delete;

  std::string url() const { return server_url(access_); }

 private:
  void handle(const HttpRequest& req, const Respond& respond);

  explore::SnapshotSet& snapshots_;
  AccessRules access_;
  WorkerQueue worker_;
  std::unique_ptr<HttpServer> http_;  // last: stopped first, before the worker
};

}  // namespace heapwise::server
