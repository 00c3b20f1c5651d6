// Who may use a heapwise server. The servers answer with a process's
// memory and can make it capture snapshots, so:
//  - a request's Host must name this loopback server exactly (127.0.0.1,
//    [::1] or localhost, with our port or none): a web page on another
//    site reaching us through DNS rebinding sends its own name;
//  - a non-GET request from a page of another origin is refused;
//  - every request carries the server's random access token: in the URL
//    heapwise prints (?token=...), as `Authorization: Bearer ...`, or as
//    the cookie the first page load sets (HttpOnly, SameSite=Strict);
//    /metrics may be left open for a Prometheus on the same host.
// docs/security.md says what each route exposes.
#pragma once

#include <optional>
#include <string>

#include "server/http_server.h"

namespace heapwise::server {

// A fresh 128-bit token, as 32 hex digits, from the system's random source.
std::string random_token();

// Whether `host_header` ("name" or "name:port") names this loopback server:
// 127.0.0.1, [::1], localhost or the address it is bound to, exactly.
bool is_loopback_host(const std::string& host_header, const std::string& bound_host, int port);
// Whether `host` (an address to bind) is a loopback address (127.0.0.0/8, ::1, localhost).
bool is_loopback_address(const std::string& host);

struct AccessRequest {
  std::string method, path, host, origin;
  std::string query_token, authorization, cookie;
};

// The fields of `req` the rules look at.
AccessRequest access_request(const HttpRequest& req);

struct AccessRules {
  std::string token;
  bool loopback_only = true;  // the server listens on a loopback address
  std::string bound_host;     // the address it listens on
  int port = 0;
  bool metrics_open = false;  // /metrics without the token
};

// Why the request is refused (403), or nullopt when it may be served.
std::optional<std::string> refusal(const AccessRules& rules, const AccessRequest& req);

// Whether the request carried the token in its URL (then the answer sets the cookie).
bool token_in_url(const AccessRules& rules, const AccessRequest& req);
// The Set-Cookie value that lets the dashboard's own requests through.
std::string token_cookie(const std::string& token);

constexpr const char* kTokenCookie = "heapwise_token";

// The rules of a server bound to `host`:`port`, with a fresh token.
AccessRules access_rules_for(const std::string& host, int port, bool metrics_open);
// The page's URL, with the token: http://127.0.0.1:PORT/?token=...
std::string server_url(const AccessRules& rules);

}  // namespace heapwise::server
