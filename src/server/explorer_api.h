// The explorer's answers over HTTP, shared by `heapwise open` (its own
// server) and the watch's server (the captured snapshots, in place): the
// page, and a question of explore/queries.h as JSON with its status.
#pragma once

#include <string>

#include "explore/snapshot_set.h"
#include "server/http_server.h"

namespace heapwise::server {

// The explorer page. It asks its questions relative to its own URL
// (api/NAME), so it works under any prefix.
HttpResponse explorer_page_response();
// The answer to question `name` (what follows "api/") with the request's parameters.
HttpResponse explorer_answer(explore::SnapshotSet& set, const std::string& name, const HttpRequest& req);

}  // namespace heapwise::server
