// CdpClient over Boost.Beast (see cdp_client.h). All I/O is asynchronous
// on a private io_context driven with run_for(), which is how the calls get
// their timeouts: Beast's synchronous reads have none.
#include "live/cdp_client.h"

#include <algorithm>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <regex>

#include "live/interrupt.h"

namespace heapwise::live {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

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
    host_ = m[1];
    const std::string port = m[2], target = m[3].matched ? std::string(m[3]) : "/";
    tcp::resolver resolver(ioc_);
    beast::error_code ec;
    auto endpoints = resolver.resolve(host_, port, ec);
    if (ec) throw CdpError("cannot resolve " + host_ + ": " + ec.message());
    bool done = false;
    beast::get_lowest_layer(ws_).async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    wait(done, timeout, "connecting to " + host_ + ":" + port);
    if (ec) throw CdpError("cannot connect to " + host_ + ":" + port + ": " + ec.message());
    ws_.read_message_max(kMaxMessageBytes);
    done = false;
    // Node only accepts a Host header that is localhost or an IP literal.
    ws_.async_handshake(host_ + ":" + port, target, [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    wait(done, timeout, "the WebSocket handshake");
    if (ec) throw CdpError("WebSocket handshake with " + url + " failed: " + ec.message());
    ws_.text(true);
  }

  nlohmann::json call(const std::string& method, const nlohmann::json& params, std::chrono::milliseconds idle_timeout,
                      const EventHandler& on_event) override {
    const int64_t id = send_request(method, params);
    for (;;) {
      nlohmann::json msg = read_message(idle_timeout, method);
      if (msg.contains("id")) {
        if (msg["id"] != id) continue;  // a late reply to something we gave up on
        if (msg.contains("error")) {
          const auto& e = msg["error"];
          throw CdpError(method + " failed: " + e.value("message", std::string("unknown error")));
        }
        return msg.value("result", nlohmann::json::object());
      }
      if (on_event && msg.contains("method"))
        on_event(msg["method"].get<std::string>(), msg.value("params", nlohmann::json::object()));
    }
  }

  void send(const std::string& method, const nlohmann::json& params) override { send_request(method, params); }

  void close() override {
    if (closed_) return;
    closed_ = true;
    if (!ws_.is_open()) return;
    bool done = false;
    ws_.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
    try {
      wait(done, std::chrono::milliseconds(1000), "closing");
    } catch (const CdpError&) {
      // The target went away first: nothing left to close politely.
    }
  }

  ~BeastCdpClient() override { close(); }

 private:
  // Runs the io_context until `done` or the timeout; on timeout cancels the
  // pending operation and throws.
  void wait(bool& done, std::chrono::milliseconds timeout, const std::string& what) {
    ioc_.restart();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    // Short slices, so that SIGINT/SIGTERM is noticed within 100 ms.
    while (!done && !interrupted() && std::chrono::steady_clock::now() < deadline)
      ioc_.run_one_until(std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
    if (!done) {
      beast::get_lowest_layer(ws_).cancel();
      ioc_.restart();
      while (!done) ioc_.run_one_for(std::chrono::milliseconds(100));
      if (interrupted()) throw CdpError("interrupted while waiting for " + what);
      throw CdpError("timed out after " + std::to_string(timeout.count()) + " ms waiting for " + what);
    }
  }

  int64_t send_request(const std::string& method, const nlohmann::json& params) {
    const int64_t id = ++next_id_;
    const std::string text = nlohmann::json{{"id", id}, {"method", method}, {"params", params}}.dump();
    beast::error_code ec;
    bool done = false;
    ws_.async_write(asio::buffer(text), [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    wait(done, std::chrono::milliseconds(10000), "sending " + method);
    if (ec) throw CdpError("sending " + method + " failed: " + ec.message());
    return id;
  }

  nlohmann::json read_message(std::chrono::milliseconds timeout, const std::string& method) {
    buffer_.clear();
    beast::error_code ec;
    bool done = false;
    ws_.async_read(buffer_, [&](beast::error_code e, size_t) {
      ec = e;
      done = true;
    });
    wait(done, timeout, "a reply to " + method);
    if (ec == websocket::error::closed || ec == asio::error::eof || ec == asio::error::connection_reset)
      throw CdpError("the target closed the connection during " + method);
    if (ec) throw CdpError("reading a reply to " + method + " failed: " + ec.message());
    auto text = beast::buffers_to_string(buffer_.data());
    auto msg = nlohmann::json::parse(text, nullptr, false);
    if (msg.is_discarded() || !msg.is_object()) throw CdpError("the target sent a message that is not JSON");
    return msg;
  }

  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string host_;
  int64_t next_id_ = 0;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<CdpClient> CdpClient::connect(const std::string& ws_url, std::chrono::milliseconds timeout) {
  auto client = std::make_unique<BeastCdpClient>();
  client->open(ws_url, timeout);
  return client;
}

}  // namespace heapwise::live
