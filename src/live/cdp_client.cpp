// CdpClient over Boost.Beast (see cdp_client.h). All I/O is asynchronous on
// a private io_context: one read is always outstanding and queues whatever
// arrives, and the public calls run the context until their answer is
// queued or their deadline passes. That is how calls get timeouts (Beast's
// synchronous reads have none) without ever cancelling a read, which would
// leave the WebSocket stream unusable.
#include "live/cdp_client.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <regex>

#include "live/cdp_fields.h"
#include "live/interrupt.h"

namespace heapwise::live {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Heap snapshot chunks are 100 KiB (Node 20) to 1 MiB (newer V8), escaped;
// a sampling profile can be larger. Past this a message is refused.
constexpr size_t kMaxMessageBytes = 256u << 20;

class BeastCdpClient final : public CdpClient {
 public:
  BeastCdpClient() : ws_(ioc_) {}

  void open(const std::string& url, std::chrono::milliseconds timeout) {
    static const std::regex re(R"(^ws://([^/:]+|\[[^\]]+\]):(\d+)(/.*)?$)");
    std::smatch m;
    if (!std::regex_match(url, m, re)) throw CdpError("not a ws:// URL: " + url);
    const std::string host = m[1], port = m[2], target = m[3].matched ? std::string(m[3]) : "/";
    tcp::resolver resolver(ioc_);
    beast::error_code ec;
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) throw CdpError("cannot resolve " + host + ": " + ec.message());
    bool done = false;
    beast::get_lowest_layer(ws_).expires_after(timeout);
    beast::get_lowest_layer(ws_).async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    run_until([&] { return done; }, Clock::now() + timeout + std::chrono::seconds(1));
    if (!done || ec)
      throw CdpError("cannot connect to " + host + ":" + port + ": " + (done ? ec.message() : "timed out"));
    ws_.read_message_max(kMaxMessageBytes);
    done = false;
    // Node only accepts a Host header that is localhost or an IP literal.
    ws_.async_handshake(host + ":" + port, target, [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    run_until([&] { return done; }, Clock::now() + timeout + std::chrono::seconds(1));
    if (!done || ec)
      throw CdpError("WebSocket handshake with " + url + " failed: " + (done ? ec.message() : "timed out"));
    // From here on the WebSocket has its own timeouts (none while idle: a
    // snapshot can be silent for minutes; our calls keep their deadlines).
    beast::get_lowest_layer(ws_).expires_never();
    ws_.text(true);
    start_read();
  }

  nlohmann::json call(const std::string& method, const nlohmann::json& params, std::chrono::milliseconds idle_timeout,
                      const EventHandler& on_event) override {
    const int64_t id = send_request(method, params);
    for (;;) {
      // Checked between messages too: a capture streams chunks without pause.
      if (interrupted()) throw CdpError("interrupted during " + method);
      if (inbox_.empty()) {
        run_until([&] { return !inbox_.empty() || read_failed_; }, Clock::now() + idle_timeout);
        if (inbox_.empty()) {
          if (read_failed_) throw CdpClosed("the target closed the connection during " + method);
          if (interrupted()) throw CdpError("interrupted during " + method);
          throw CdpTimeout("timed out after " + std::to_string(idle_timeout.count()) + " ms waiting for a reply to " +
                           method);
        }
      }
      CdpMessage msg = sort_message(inbox_.front(), id);
      inbox_.pop_front();
      if (msg.kind == CdpMessage::kReply) return std::move(msg.body);
      if (msg.kind == CdpMessage::kErrorReply) throw CdpError(method + " failed: " + msg.text);
      if (msg.kind == CdpMessage::kEvent && on_event) on_event(msg.text, msg.body);
    }
  }

  bool wait_events(std::chrono::milliseconds duration, const EventHandler& on_event) override {
    const auto end = Clock::now() + duration;
    for (;;) {
      while (!inbox_.empty()) {
        CdpMessage msg = sort_message(inbox_.front(), 0);
        inbox_.pop_front();
        if (msg.kind == CdpMessage::kEvent && on_event) on_event(msg.text, msg.body);
      }
      if (read_failed_) return false;
      if (Clock::now() >= end || interrupted()) return true;
      run_until([&] { return !inbox_.empty() || read_failed_; }, end);
    }
  }

  void send(const std::string& method, const nlohmann::json& params) override { send_request(method, params); }

  void close() override {
    if (closed_) return;
    closed_ = true;
    if (!ws_.is_open()) return;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
    run_until([&] { return done; }, Clock::now() + std::chrono::seconds(1));
    if (!done) beast::get_lowest_layer(ws_).close();
  }

  ~BeastCdpClient() override {
    close();
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

 private:
  // Runs handlers until `ready()` or the deadline, in short slices so that
  // SIGINT/SIGTERM is noticed within 100 ms (unless `interruptible` is false:
  // an operation whose handler refers to the caller's frame must finish).
  template <typename Ready>
  void run_until(const Ready& ready, Clock::time_point deadline, bool interruptible = true) {
    ioc_.restart();
    while (!ready() && !(interruptible && interrupted()) && Clock::now() < deadline)
      ioc_.run_one_until(std::min(deadline, Clock::now() + std::chrono::milliseconds(100)));
  }

  void start_read() {
    ws_.async_read(buffer_, [this](beast::error_code ec, size_t) {
      if (ec) {
        read_failed_ = true;
        return;
      }
      inbox_.push_back(beast::buffers_to_string(buffer_.data()));
      buffer_.consume(buffer_.size());
      start_read();
    });
  }

  int64_t send_request(const std::string& method, const nlohmann::json& params) {
    if (read_failed_) throw CdpError("the target closed the connection before " + method);
    const int64_t id = ++next_id_;
    const std::string text = nlohmann::json{{"id", id}, {"method", method}, {"params", params}}.dump();
    beast::error_code ec;
    bool done = false;
    ws_.async_write(asio::buffer(text), [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    // Not cut short by Ctrl-C: the handler refers to this frame, and a second
    // write must not start while this one is pending (the cleanup after an
    // interrupt still sends). A message is small; only a peer that takes
    // nothing makes it wait, and then the connection is given up.
    run_until([&] { return done; }, Clock::now() + std::chrono::seconds(10), false);
    if (!done) {
      read_failed_ = true;
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
      run_until([&] { return done; }, Clock::now() + std::chrono::seconds(5), false);
      throw CdpError("timed out sending " + method + "; the connection is given up");
    }
    if (ec) throw CdpError("sending " + method + " failed: " + ec.message());
    return id;
  }

  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> inbox_;  // messages as they came, sorted when taken
  bool read_failed_ = false;
  int64_t next_id_ = 0;
  bool closed_ = false;
};

}  // namespace

CdpMessage sort_message(const std::string& text, int64_t awaited) {
  CdpMessage m;
  const auto msg = nlohmann::json::parse(text, nullptr, false);
  if (!msg.is_object()) return m;
  if (const auto& id = field(msg, "id"); !id.is_null()) {
    // Replies to requests we gave up on come late: not ours.
    if (awaited == 0 || !id.is_number_integer() || id.get<int64_t>() != awaited) return m;
    if (const auto& error = field(msg, "error"); !error.is_null()) {
      m.kind = CdpMessage::kErrorReply;
      m.text = string_field(error, "message", "unknown error");
      return m;
    }
    m.kind = CdpMessage::kReply;
    const auto& result = field(msg, "result");
    m.body = result.is_object() ? result : nlohmann::json::object();
    return m;
  }
  const auto& method = field(msg, "method");
  if (!method.is_string()) return m;
  m.kind = CdpMessage::kEvent;
  m.text = method.get<std::string>();
  const auto& params = field(msg, "params");
  m.body = params.is_object() ? params : nlohmann::json::object();
  return m;
}

std::unique_ptr<CdpClient> CdpClient::connect(const std::string& ws_url, std::chrono::milliseconds timeout) {
  auto client = std::make_unique<BeastCdpClient>();
  client->open(ws_url, timeout);
  return client;
}

}  // namespace heapwise::live
