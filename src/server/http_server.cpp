// The bounded HTTP server (see http_server.h).
#include "server/http_server.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cmath>
#include <list>
#include <map>
#include <optional>
#include <thread>

#include "util/json_dump.h"

namespace heapwise::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits "a=1&b=2" into decoded pairs; false on a malformed escape.
bool parse_query(std::string_view text, std::vector<std::pair<std::string, std::string>>& out) {
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    const size_t eq = pair.find('=');
    std::string name, value;
    if (!percent_decode(pair.substr(0, eq), name, true)) return false;
    if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), value, true)) return false;
    if (!name.empty()) out.emplace_back(std::move(name), std::move(value));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return true;
}

// Requests a second per client address, refilled continuously.
struct TokenBucket {
  double tokens = 0;
  Clock::time_point at;
};

}  // namespace

bool decode_target(std::string_view target, HttpRequest& req) {
  const size_t question = target.find('?');
  return !target.empty() && target[0] == '/' && percent_decode(target.substr(0, question), req.path, false) &&
         (question == std::string_view::npos || parse_query(target.substr(question + 1), req.query));
}

bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return false;
      out.push_back(decoded);
      i += 2;
    } else {
      out.push_back(plus_is_space && c == '+' ? ' ' : c);
    }
  }
  return true;
}

std::string json_body(const nlohmann::ordered_json& body) { return dump_json(body, 2) + "\n"; }

HttpResponse json_response(int status, const nlohmann::ordered_json& body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = json_body(body);
  return r;
}

HttpResponse error_response(int status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

HttpResponse page_response(std::string_view html) {
  HttpResponse r;
  r.content_type = "text/html; charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'");
  r.body.assign(html.data(), html.size());
  return r;
}

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (beast::iequals(n, beast::string_view(name.data(), name.size()))) return v;
  return "";
}

std::string HttpRequest::query_value(std::string_view name) const {
  for (const auto& [n, v] : query)
    if (n == name) return v;
  return "";
}

class Session;

struct HttpServer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_retry{io};
  HttpLimits limits;
  Handler handler;
  std::list<std::shared_ptr<Session>> sessions;  // the connections open, oldest first
  std::atomic<size_t> open{0};
  int port = 0;
  std::map<std::string, TokenBucket> buckets;
  std::thread thread;

  void accept();
  void admit(tcp::socket socket);
  void make_room(const std::string& client);
  // Seconds to wait before the client may send another request, or 0.
  double take_token(const std::string& client);
  void close_all();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server, std::string client)
      : stream_(std::move(socket)), server_(server), client_(std::move(client)) {}

  const std::string& client() const { return client_; }
  // Waiting for the client's request (not being answered): the kind of
  // connection closed first to make room.
  bool waiting() const { return waiting_; }
  Clock::time_point waiting_since() const { return waiting_since_; }

  void read_request();
  void close();
  void set_place(std::list<std::shared_ptr<Session>>::iterator place) { place_ = place; }

 private:
  void on_read(beast::error_code ec);
  void dispatch(http::request<http::string_body>&& message);
  Respond responder();
  void write(HttpResponse response);
  void write_error(int status, const std::string& message);
  template <class Body>
  void send(http::response<Body>&& response);
  template <class Body>
  void write_some(std::shared_ptr<http::response<Body>> message,
                  std::shared_ptr<http::response_serializer<Body>> serializer);

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::list<std::shared_ptr<Session>>::iterator place_;
  bool waiting_ = false, closed_ = false, keep_alive_ = true;
  unsigned version_ = 11;
  Clock::time_point waiting_since_;
};

void Session::read_request() {
  parser_.emplace();
  parser_->header_limit(server_.limits.header_bytes);
  parser_->body_limit(server_.limits.body_bytes);
  waiting_ = true;
  waiting_since_ = Clock::now();
  // One deadline for the whole request: a client trickling a header line
  // every few seconds is cut off like one sending nothing.
  stream_.expires_after(server_.limits.request_deadline);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
}

void Session::on_read(beast::error_code ec) {
  waiting_ = false;
  if (closed_) return;
  if (ec == http::error::header_limit) return write_error(431, "request headers too large");
  if (ec == http::error::body_limit) return write_error(413, "request body too large");
  // A malformed request gets an answer; a timeout, a reset or a client that
  // simply left gets none.
  const bool malformed = ec && ec.category() == make_error_code(http::error::bad_target).category() &&
                         ec != http::error::end_of_stream && ec != http::error::partial_message;
  if (malformed) return write_error(400, "bad request");
  if (ec) return close();
  stream_.expires_never();
  dispatch(parser_->release());
}

void Session::dispatch(http::request<http::string_body>&& message) {
  version_ = message.version();
  keep_alive_ = message.keep_alive();
  if (const double wait = server_.take_token(client_); wait > 0) {
    HttpResponse r;
    r.status = 429;
    const auto seconds = static_cast<int>(std::ceil(wait));
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    r.body = json_body({{"error", "too many requests"}, {"retry_after_seconds", seconds}});
    return write(std::move(r));
  }
  HttpRequest req;
  req.method = std::string(message.method_string());
  req.client = client_;
  if (!decode_target(std::string_view(message.target().data(), message.target().size()), req))
    return write_error(400, "bad request target");
  for (const auto& field : message)
    req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  req.body = std::move(message.body());
  try {
    server_.handler(req, responder());
  } catch (const std::exception& e) {
    write_error(500, e.what());
  }
}

Respond Session::responder() {
  return [weak = weak_from_this()](HttpResponse response) {
    auto self = weak.lock();
    if (!self) {
      if (response.file >= 0) ::close(response.file);
      return;
    }
    asio::post(self->stream_.get_executor(),
               [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
  };
}

void Session::write_error(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.close = true;
  r.body = json_body({{"error", message}});
  write(std::move(r));
}

void Session::write(HttpResponse response) {
  if (closed_) {
    if (response.file >= 0) ::close(response.file);
    return;
  }
  const bool keep = keep_alive_ && !response.close;
  auto fill = [&](auto& message) {
    message.result(static_cast<unsigned>(response.status));
    message.version(version_);
    message.set(http::field::content_type, response.content_type);
    message.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : response.headers) message.insert(name, value);
    message.keep_alive(keep);
  };
  if (response.file >= 0) {
    http::response<http::file_body> message;
    beast::file file;
    file.native_handle(response.file);
    beast::error_code ec;
    message.body().reset(std::move(file), ec);
    if (ec) return write_error(500, "cannot read the file: " + ec.message());
    fill(message);
    message.prepare_payload();
    return send(std::move(message));
  }
  http::response<http::string_body> message;
  fill(message);
  message.body() = std::move(response.body);
  message.prepare_payload();
  send(std::move(message));
}

template <class Body>
void Session::send(http::response<Body>&& response) {
  auto message = std::make_shared<http::response<Body>>(std::move(response));
  write_some(message, std::make_shared<http::response_serializer<Body>>(*message));
}

// Written piece by piece, each within `write_stall`: a big download to a
// slow but live client goes on, a client that stopped reading is dropped.
template <class Body>
void Session::write_some(std::shared_ptr<http::response<Body>> message,
                         std::shared_ptr<http::response_serializer<Body>> serializer) {
  stream_.expires_after(server_.limits.write_stall);
  http::async_write_some(stream_, *serializer,
                         [self = shared_from_this(), message, serializer](beast::error_code ec, size_t) {
                           if (ec) return self->close();
                           if (!serializer->is_done()) return self->write_some(message, serializer);
                           if (!message->keep_alive()) return self->close();
                           self->read_request();
                         });
}

void Session::close() {
  if (closed_) return;
  closed_ = true;
  const auto keep = shared_from_this();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
  server_.sessions.erase(place_);
  --server_.open;
}

void HttpServer::Impl::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (!ec) {
      admit(std::move(socket));
      return accept();
    }
    // Out of descriptors, say: try again shortly rather than spin.
    accept_retry.expires_after(std::chrono::milliseconds(100));
    accept_retry.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) accept();
    });
  });
}

void HttpServer::Impl::admit(tcp::socket socket) {
  beast::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;
  const std::string client = peer.address().to_string();
  make_room(client);
  auto session = std::make_shared<Session>(std::move(socket), *this, client);
  sessions.push_back(session);
  session->set_place(std::prev(sessions.end()));
  ++open;
  session->read_request();
}

void HttpServer::Impl::make_room(const std::string& client) {
  size_t from_client = 0;
  for (const auto& s : sessions) from_client += s->client() == client;
  const bool client_full = from_client >= limits.per_client;
  if (!client_full && sessions.size() < limits.max_connections) return;
  std::shared_ptr<Session> victim;
  for (const auto& s : sessions) {
    if (!s->waiting() || (client_full && s->client() != client)) continue;
    if (!victim || s->waiting_since() < victim->waiting_since()) victim = s;
  }
  // When every connection is busy answering, the new one is let in anyway:
  // answers end, and only waiting connections can be held open for long.
  if (victim) victim->close();
}

double HttpServer::Impl::take_token(const std::string& client) {
  const auto now = Clock::now();
  if (buckets.size() > 4096) {
    // Forget clients whose bucket has refilled: they are as new.
    for (auto it = buckets.begin(); it != buckets.end();) {
      const double idle = std::chrono::duration<double>(now - it->second.at).count();
      it = it->second.tokens + idle * limits.rate >= limits.burst ? buckets.erase(it) : std::next(it);
    }
  }
  auto [it, added] = buckets.try_emplace(client, TokenBucket{limits.burst, now});
  TokenBucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  b.tokens = std::min(limits.burst, b.tokens + elapsed * limits.rate);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return (1 - b.tokens) / limits.rate;
}

void HttpServer::Impl::close_all() {
  beast::error_code ignored;
  acceptor.close(ignored);
  accept_retry.cancel();
  const auto all = sessions;
  for (const auto& s : all) s->close();
}

HttpServer::HttpServer(const std::string& host, int port, HttpLimits limits, Handler handler)
    : impl_(std::make_shared<Impl>()) {
  impl_->limits = limits;
  impl_->handler = std::move(handler);
  const std::string where = host + ":" + std::to_string(port);
  beast::error_code ec;
  tcp::resolver resolver(impl_->io);
  const auto found = resolver.resolve(host, std::to_string(port), tcp::resolver::numeric_service, ec);
  if (ec || found.empty()) throw ListenError("cannot listen on " + where + ": not an address of this machine");
  const tcp::endpoint endpoint = found.begin()->endpoint();
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw ListenError("cannot listen on " + where + " (" + ec.message() + ")");
  impl_->port = acceptor.local_endpoint().port();
  impl_->accept();
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

HttpServer::~HttpServer() {
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->close_all();
    impl->io.stop();
  });
  if (impl_->thread.joinable()) impl_->thread.join();
}

int HttpServer::port() const { return impl_->port; }

size_t HttpServer::connections() const { return impl_->open; }

}  // namespace heapwise::server
