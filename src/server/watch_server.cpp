// The watch's HTTP server (see watch_server.h).
#include "server/watch_server.h"

#include <unistd.h>

#include <regex>

#include "server/dashboard_page.h"
#include "server/explorer_api.h"
#include "server/prometheus_metrics.h"
#include "server/watch_json.h"
#include "util/clock.h"

namespace heapwise::server {

namespace {

HttpResponse capture_response(const watch::CaptureOutcome& outcome) {
  using Status = watch::CaptureOutcome::Status;
  switch (outcome.status) {
    case Status::taken:
      return json_response(200, {{"file", outcome.file},
                                 {"bytes", outcome.bytes},
                                 {"seconds", outcome.seconds},
                                 {"download", "/memory/snapshots/" + outcome.file}});
    case Status::rationed: {
      auto r = json_response(429, {{"error", outcome.reason}, {"retry_after_seconds", outcome.retry_after}});
      r.headers.emplace_back("Retry-After", std::to_string(static_cast<int64_t>(outcome.retry_after)));
      return r;
    }
    case Status::busy:
    case Status::refused:
      return error_response(409, outcome.reason);
    case Status::unavailable:
      break;
  }
  return error_response(503, outcome.reason);
}

}  // namespace

ListenAddress parse_listen_address(const std::string& text) {
  static const std::regex re(R"(^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-]*):)?(\d{1,5})$)");
  std::smatch m;
  if (!std::regex_match(text, m, re)) throw std::invalid_argument("--listen expects HOST:PORT, got '" + text + "'");
  ListenAddress a;
  if (m[1].matched && m[1].length() > 0) {
    a.host = m[1];
    if (a.host[0] == '[') a.host = a.host.substr(1, a.host.size() - 2);
  }
  a.port = std::stoi(m[2]);
  if (a.port > 65535) throw std::invalid_argument("--listen port out of range: " + text);
  return a;
}

WatchServer::WatchServer(const ListenAddress& address, const ServerOptions& options, watch::SharedWatchState& state,
                         watch::CaptureRequests& captures, const watch::SnapshotStore& store)
    : address_(address), state_(state), captures_(captures), store_(store) {
  access_ = access_rules_for(address_.host, address_.port, options.metrics_open);
  http_ = std::make_unique<HttpServer>(address_.host, address_.port, HttpLimits{},
                                       [this](const HttpRequest& req, Respond respond) { handle(req, respond); });
  access_.port = http_->port();
}

WatchServer::~WatchServer() = default;

std::string WatchServer::url() const { return server_url(access_); }

void WatchServer::handle(const HttpRequest& req, const Respond& respond) {
  const AccessRequest access = access_request(req);
  if (const auto why = refusal(access_, access)) return respond(error_response(403, *why));
  // The dashboard's own requests carry the token as a cookie.
  const bool set_cookie = token_in_url(access_, access);
  if (req.method == "POST" && req.path == "/memory/snapshot") return capture_now(respond);
  if (req.method == "GET" && req.path.rfind("/explore/", 0) == 0) return explore(req, respond);
  HttpResponse r = route(req);
  if (set_cookie) r.headers.emplace_back("Set-Cookie", token_cookie(access_.token));
  respond(std::move(r));
}

// Answered from the watch loop's thread when the capture is over (the
// server's thread goes on serving meanwhile), or at once when refused.
void WatchServer::capture_now(const Respond& respond) {
  captures_.submit([respond](const watch::CaptureOutcome& outcome) { respond(capture_response(outcome)); },
                   epoch_seconds());
}

HttpResponse WatchServer::route(const HttpRequest& req) const {
  static const std::regex snapshot_path(R"(^/memory/snapshots/([^/]+)$)");
  const std::string& path = req.path;
  if (req.method != "GET") {
    if (path == "/memory/snapshot") return error_response(405, "use POST /memory/snapshot to capture");
    auto r = error_response(405, req.method + " is not served here");
    r.headers.emplace_back("Allow", "GET");
    return r;
  }
  if (path == "/") return page_response(dashboard_page());
  if (path == "/memory/stats")
    return json_response(200, state_.read([](const watch::WatchState& w) { return stats_json(w); }));
  if (path == "/memory/report")
    return json_response(200, state_.read([](const watch::WatchState& w) { return report_json(w); }));
  if (path == "/metrics") {
    HttpResponse r;
    r.content_type = kPrometheusContentType;
    r.body = state_.read([](const watch::WatchState& w) { return prometheus_metrics(w); });
    return r;
  }
  if (path == "/memory/snapshot") {
    auto r = error_response(405, "POST /memory/snapshot captures a snapshot; GET /memory/snapshots lists them");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  if (path == "/memory/snapshots") {
    auto list = nlohmann::ordered_json::array();
    for (const auto& s : store_.list())
      list.push_back({{"file", s.name}, {"bytes", s.bytes}, {"download", "/memory/snapshots/" + s.name}});
    return json_response(200, {{"directory", store_.dir()}, {"snapshots", list}});
  }
  std::smatch m;
  if (std::regex_match(path, m, snapshot_path)) {
    const auto found = store_.find(m[1]);
    if (!found) return error_response(404, "no snapshot named '" + std::string(m[1]) + "'");
    // Opened now: a snapshot pruned during the download stays readable.
    HttpResponse r;
    r.file = store_.open_for_reading(*found);
    if (r.file < 0) return error_response(404, "cannot open '" + found->name + "'");
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + found->name + "\"");
    return r;
  }
  return error_response(404, "no such endpoint: " + path);
}

void WatchServer::explore(const HttpRequest& req, const Respond& respond) {
  const std::string rest = req.path.substr(9);  // after "/explore/"
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) {
    // The page asks relative to its URL: it must end with the series' slash.
    HttpResponse r;
    r.status = 301;
    r.headers.emplace_back("Location", req.path + "/");
    return respond(std::move(r));
  }
  const std::string series = rest.substr(0, slash), tail = rest.substr(slash);
  if (tail == "/") return respond(explorer_page_response());
  if (tail.rfind("/api/", 0) != 0) return respond(error_response(404, "no such page: " + req.path.substr(0, 200)));
  worker_.post([this, req, respond, series, question = tail.substr(5)] {
    try {
      respond(explorer_answer(explored(series), question, req));
    } catch (const explore::QueryError& e) {
      respond(error_response(e.status, e.what()));
    }
  });
}

explore::SnapshotSet& WatchServer::explored(const std::string& series) {
  if (explored_ && explored_series_ == series) return *explored_;
  std::vector<std::string> names;
  for (size_t at = 0; at <= series.size();) {
    const size_t comma = std::min(series.find(',', at), series.size());
    names.push_back(series.substr(at, comma - at));
    at = comma + 1;
  }
  if (names.size() > 5) throw explore::QueryError(400, "explore at most 5 snapshots at a time");
  // One set at a time: the last one goes before the next one loads.
  explored_.reset();
  explored_series_.clear();
  std::vector<std::shared_ptr<const Snapshot>> loaded;
  for (const auto& name : names) {
    const auto found = store_.find(name);
    if (!found) throw explore::QueryError(404, "no snapshot named '" + name.substr(0, 100) + "' in the directory");
    // Read through the descriptor opened without following links, as downloads are.
    const int fd = store_.open_for_reading(*found);
    if (fd < 0) throw explore::QueryError(404, "cannot open '" + name + "'");
    auto snapshot = Snapshot::open("/proc/self/fd/" + std::to_string(fd), false);
    close(fd);
    if (!snapshot.ok()) throw explore::QueryError(422, snapshot.error().in(name));
    loaded.push_back(std::move(snapshot.value()));
  }
  explored_ = std::make_unique<explore::SnapshotSet>(std::move(loaded), names);
  explored_series_ = series;
  return *explored_;
}

}  // namespace heapwise::server
