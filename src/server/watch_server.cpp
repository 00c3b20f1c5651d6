// The watch's HTTP server (see watch_server.h).
#include "server/watch_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <fstream>
#include <regex>

#include "server/dashboard_page.h"
#include "server/prometheus_metrics.h"
#include "server/watch_json.h"

namespace heapwise::server {

namespace {

constexpr const char* kJson = "application/json";
constexpr size_t kMaxRequestBody = 64 * 1024;

void send_json(httplib::Response& res, int status, const nlohmann::ordered_json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", kJson);
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}

// SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a
// second server on a port in use would bind and silently share it.
void reuse_address_only(int sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
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
    : http_(std::make_unique<httplib::Server>()), address_(address), state_(state), captures_(captures), store_(store) {
  access_.token = random_token();
  access_.loopback_only = is_loopback_address(address_.host);
  access_.bound_host = address_.host;
  access_.metrics_open = options.metrics_open;
  http_->set_socket_options(reuse_address_only);
  http_->set_payload_max_length(kMaxRequestBody);
  route();
  port_ = address_.port ? (http_->bind_to_port(address_.host, address_.port) ? address_.port : -1)
                        : http_->bind_to_any_port(address_.host);
  if (port_ <= 0)
    throw ListenError("cannot listen on " + address_.host + ":" + std::to_string(address_.port) +
                      " (in use, or not an address of this machine)");
  access_.port = port_;
  thread_ = std::thread([this] { http_->listen_after_bind(); });
}

WatchServer::~WatchServer() {
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string WatchServer::url() const {
  const bool v6 = address_.host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + address_.host + "]" : address_.host) + ":" + std::to_string(port_) +
         "/?token=" + access_.token;
}

void WatchServer::capture_now(httplib::Response& res) {
  const watch::CaptureOutcome outcome = captures_.submit().get();
  switch (outcome.status) {
    case watch::CaptureOutcome::Status::taken:
      break;
    case watch::CaptureOutcome::Status::refused:
      return send_error(res, 409, outcome.reason);
    case watch::CaptureOutcome::Status::unavailable:
      return send_error(res, 503, outcome.reason);
  }
  send_json(res, 200,
            {{"file", outcome.file},
             {"bytes", outcome.bytes},
             {"seconds", outcome.seconds},
             {"download", "/memory/snapshots/" + outcome.file}});
}

void WatchServer::route() {
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const AccessRequest access{req.method,
                               req.path,
                               req.get_header_value("Host"),
                               req.get_header_value("Origin"),
                               req.get_param_value("token"),
                               req.get_header_value("Authorization"),
                               req.get_header_value("Cookie")};
    if (const auto why = refusal(access_, access)) {
      send_error(res, 403, *why);
      return httplib::Server::HandlerResponse::Handled;
    }
    // The dashboard's own requests carry the token as a cookie.
    if (token_in_url(access_, access)) res.set_header("Set-Cookie", token_cookie(access_.token));
    // Served before cpp-httplib reads a body: it answers 400 to a POST
    // without Content-Length, which is what `curl -X POST URL` sends. The
    // connection closes after it, so an unread body cannot be taken for
    // the next request.
    if (req.method == "POST" && req.path == "/memory/snapshot") {
      capture_now(res);
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) return send_error(res, 404, "no such endpoint: " + req.path);
    if (res.status == 413) return send_error(res, 413, "request body too large");
    send_error(res, res.status, res.status == 400 ? "bad request" : "HTTP " + std::to_string(res.status));
  });
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    send_error(res, 500, what);
  });

  http_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
    const auto page = dashboard_page();
    res.set_content(page.data(), page.size(), "text/html; charset=utf-8");
  });
  http_->Get("/memory/stats", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, state_.read([](const watch::WatchState& w) { return stats_json(w); }));
  });
  http_->Get("/memory/report", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, state_.read([](const watch::WatchState& w) { return report_json(w); }));
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(state_.read([](const watch::WatchState& w) { return prometheus_metrics(w); }),
                    kPrometheusContentType);
  });
  http_->Get("/memory/snapshot", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "POST");
    send_error(res, 405, "POST /memory/snapshot captures a snapshot; GET /memory/snapshots lists them");
  });
  http_->Get("/memory/snapshots", [this](const httplib::Request&, httplib::Response& res) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& s : store_.list())
      list.push_back({{"file", s.name}, {"bytes", s.bytes}, {"download", "/memory/snapshots/" + s.name}});
    send_json(res, 200, {{"directory", store_.dir()}, {"snapshots", list}});
  });
  http_->Get(R"(/memory/snapshots/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto found = store_.find(req.matches[1]);
    if (!found) return send_error(res, 404, "no snapshot named '" + std::string(req.matches[1]) + "'");
    // Opened now: a snapshot pruned during the download stays readable.
    auto file = std::make_shared<std::ifstream>(found->path, std::ios::binary);
    if (!*file) return send_error(res, 404, "cannot open '" + found->name + "'");
    res.set_header("Content-Disposition", "attachment; filename=\"" + found->name + "\"");
    res.set_content_provider(found->bytes, "application/octet-stream",
                             [file](size_t offset, size_t length, httplib::DataSink& sink) {
                               std::vector<char> buf(std::min<size_t>(length, 1 << 20));
                               file->seekg(static_cast<std::streamoff>(offset));
                               file->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                               const auto got = file->gcount();
                               if (got <= 0) return false;
                               return sink.write(buf.data(), static_cast<size_t>(got));
                             });
  });
}

}  // namespace heapwise::server
