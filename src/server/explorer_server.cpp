// The explorer's HTTP server (see explorer_server.h).
#include "server/explorer_server.h"

#include "server/explorer_api.h"

namespace heapwise::server {

ExplorerServer::ExplorerServer(const ListenAddress& address, explore::SnapshotSet& snapshots)
    : snapshots_(snapshots), access_(access_rules_for(address.host, address.port, false)) {
  http_ = std::make_unique<HttpServer>(address.host, address.port, HttpLimits{},
                                       [this](const HttpRequest& req, Respond respond) { handle(req, respond); });
  access_.port = http_->port();
}

void ExplorerServer::handle(const HttpRequest& req, const Respond& respond) {
  const AccessRequest access = access_request(req);
  if (const auto why = refusal(access_, access)) return respond(error_response(403, *why));
  if (req.method != "GET") {
    auto r = error_response(405, req.method + " is not served here");
    r.headers.emplace_back("Allow", "GET");
    return respond(std::move(r));
  }
  if (req.path == "/") {
    HttpResponse r = explorer_page_response();
    if (token_in_url(access_, access)) r.headers.emplace_back("Set-Cookie", token_cookie(access_.token));
    return respond(std::move(r));
  }
  if (req.path.rfind("/api/", 0) != 0) return respond(error_response(404, "no such page: " + req.path.substr(0, 200)));
  // A question: on the worker, answered from there.
  worker_.post([this, req, respond] { respond(explorer_answer(snapshots_, req.path.substr(5), req)); });
}

}  // namespace heapwise::server
