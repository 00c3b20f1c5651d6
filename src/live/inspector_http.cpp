// Inspector discovery over HTTP (see inspector_http.h), with Beast's HTTP
// client; asynchronous so that a silent port cannot hang us.
#include "live/inspector_http.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace heapwise::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<std::string> http_get(const std::string& host, uint16_t port, const std::string& path,
                                    std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return std::nullopt;
  http::request<http::string_body> req{http::verb::get, path, 11};
  req.set(http::field::host, host + ":" + std::to_string(port));
  req.set(http::field::user_agent, "heapwise");
  http::response<http::string_body> res;
  beast::flat_buffer buffer;
  bool ok = false;
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) return;
    http::async_write(stream, req, [&](beast::error_code e2, size_t) {
      if (e2) return;
      http::async_read(stream, buffer, res,
                       [&](beast::error_code e3, size_t) { ok = !e3 || e3 == http::error::end_of_stream; });
    });
  });
  ioc.run();
  if (!ok || res.result() != http::status::ok) return std::nullopt;
  return res.body();
}

std::optional<std::string> discover_websocket_url(const std::string& host, uint16_t port,
                                                  std::chrono::milliseconds timeout) {
  auto body = http_get(host, port, "/json/list", timeout);
  if (!body) return std::nullopt;
  auto list = nlohmann::json::parse(*body, nullptr, false);
  if (!list.is_array()) return std::nullopt;
  for (const auto& target : list)
    if (target.is_object() && target.contains("webSocketDebuggerUrl") && target["webSocketDebuggerUrl"].is_string())
      return target["webSocketDebuggerUrl"].get<std::string>();
  return std::nullopt;
}

bool is_node_inspector(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
  auto body = http_get(host, port, "/json/version", timeout);
  if (!body) return false;
  auto v = nlohmann::json::parse(*body, nullptr, false);
  return v.is_object() && v.contains("Browser") && v["Browser"].is_string() &&
         v["Browser"].get<std::string>().rfind("node.js/", 0) == 0;
}

}  // namespace heapwise::live
