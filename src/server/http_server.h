// A small HTTP/1.1 server built to stay up under hostile clients, for the
// watch's API (and the explorer's). One thread does all the socket work
// asynchronously (Boost.Beast), so a slow client costs a socket and a few
// kilobytes, never a thread; handlers run on that thread and answer at
// once or later (a capture) through their Respond.
//
// What a client cannot do (HttpLimits):
//  - hold the server with slow requests: a request must arrive whole within
//    `request_deadline` of the server starting to wait for it, and each
//    part of an answer must be taken within `write_stall`;
//  - exhaust connections: past `max_connections` (or `per_client` from one
//    address) the connection waiting longest for its request is closed to
//    make room, so a new client is always heard;
//  - send big headers or bodies (431, 413);
//  - flood it: each address gets `rate` requests a second (bursts of
//    `burst`), then 429 with Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace heapwise::server {

// The address cannot be listened on (in use, not local, no permission).
struct ListenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct HttpLimits {
  size_t max_connections = 128;
  size_t per_client = 64;
  uint32_t header_bytes = 8 * 1024;
  uint64_t body_bytes = 64 * 1024;
  std::chrono::milliseconds request_deadline{10000};
  std::chrono::milliseconds write_stall{30000};
  double rate = 100;  // requests per second per client address
  double burst = 200;
};

struct HttpRequest {
  std::string method;
  std::string path;                                        // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string client;  // the peer's address

  // The first value, or "" (header names compare without case).
  std::string header(std::string_view name) const;
  std::string query_value(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When >= 0, an open file (owned from here on) whose contents are the body.
  int file = -1;
  bool close = false;  // close the connection after this answer
};

// Called once, from any thread.
using Respond = std::function<void(HttpResponse)>;
// Runs on the server's thread: must answer (now or later) without blocking.
using Handler = std::function<void(const HttpRequest&, Respond)>;

class Session;

class HttpServer {
 public:
  // Binds `host`:`port` (0: any free port) and starts serving on its own
  // thread; throws ListenError.
  HttpServer(const std::string& host, int port, HttpLimits limits, Handler handler);
  ~HttpServer();  // closes every connection and joins
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  // Open connections now (for tests and the watch state).
  size_t connections() const;

 private:
  friend class Session;  // a connection (http_server.cpp)
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// An answer's JSON body as the servers write it: 2-space indent, a final
// newline, invalid UTF-8 replaced.
std::string json_body(const nlohmann::ordered_json& body);
// Answers as the servers send them: JSON, never cached; errors as {"error": message}.
HttpResponse json_response(int status, const nlohmann::ordered_json& body);
HttpResponse error_response(int status, const std::string& message);
// An embedded page, with a policy that lets it load nothing from elsewhere.
HttpResponse page_response(std::string_view html);

// A request target ("/path?query") as handlers see it: the decoded path and
// query pairs in `req`. False when it is malformed (the server answers 400).
bool decode_target(std::string_view target, HttpRequest& req);
// "%2E%2E" -> ".."; nullopt-like "" with ok=false on a malformed escape.
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space);

}  // namespace heapwise::server
