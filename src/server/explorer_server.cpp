// The explorer's HTTP server (see explorer_server.h).
#include "server/explorer_server.h"

#include "explore/queries.h"
#include "server/explorer_page.h"

namespace heapwise::server {

ExplorerServer::ExplorerServer(const ListenAddress& address, explore::SnapshotSet& snapshots) : snapshots_(snapshots) {
  access_ = access_rules_for(address.host, address.port, false);
  worker_ = std::thread([this] { work(); });
  try {
    http_ = std::make_unique<HttpServer>(address.host, address.port, HttpLimits{},
                                         [this](const HttpRequest& req, Respond respond) { handle(req, respond); });
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
    throw;
  }
  access_.port = http_->port();
}

ExplorerServer::~ExplorerServer() {
  http_.reset();  // no new questions
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void ExplorerServer::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

void ExplorerServer::handle(const HttpRequest& req, const Respond& respond) {
  const AccessRequest access = access_request(req);
  if (const auto why = refusal(access_, access)) return respond(error_response(403, *why));
  const bool set_cookie = token_in_url(access_, access);
  if (req.method != "GET") {
    auto r = error_response(405, req.method + " is not served here");
    r.headers.emplace_back("Allow", "GET");
    return respond(std::move(r));
  }
  if (req.path == "/") {
    HttpResponse r = page_response(explorer_page());
    if (set_cookie) r.headers.emplace_back("Set-Cookie", token_cookie(access_.token));
    return respond(std::move(r));
  }
  // A question: on the worker, answered from there.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back([this, req, respond] { respond(answer(req)); });
  }
  wake_.notify_one();
}

HttpResponse ExplorerServer::answer(const HttpRequest& req) {
  const std::string prefix = "/api/";
  if (req.path.rfind(prefix, 0) != 0) return error_response(404, "no such page: " + req.path.substr(0, 200));
  const explore::Query query = explore::find_query(req.path.substr(prefix.size()));
  if (!query) return error_response(404, "no such question: " + req.path.substr(0, 200));
  try {
    return json_response(200, query(snapshots_, [&](const std::string& name) { return req.query_value(name); }));
  } catch (const explore::QueryError& e) {
    return error_response(e.status, e.what());
  } catch (const std::exception& e) {
    return error_response(500, std::string("the question failed: ") + e.what());
  }
}

}  // namespace heapwise::server
