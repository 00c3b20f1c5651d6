// Access rules of the servers (see access.h).
#include "server/access.h"

#include <cstdio>
#include <random>

namespace heapwise::server {

namespace {

// Compares without stopping at the first difference, so the time taken
// says nothing about how much of a guess was right.
bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The value of cookie `name` in a Cookie header ("a=1; b=2").
std::string cookie_value(const std::string& header, const std::string& name) {
  size_t at = 0;
  while (at < header.size()) {
    while (at < header.size() && (header[at] == ' ' || header[at] == ';')) ++at;
    const size_t end = header.find(';', at);
    const std::string pair = header.substr(at, end == std::string::npos ? std::string::npos : end - at);
    const size_t eq = pair.find('=');
    if (eq != std::string::npos && pair.compare(0, eq, name) == 0 && eq == name.size()) return pair.substr(eq + 1);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "";
}

}  // namespace

std::string random_token() {
  std::random_device random;  // /dev/urandom on Linux
  std::string out;
  char hex[9];
  for (int i = 0; i < 4; ++i) {
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(random()));
    out += hex;
  }
  return out;
}

bool is_loopback_address(const std::string& host) {
  return host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

bool is_loopback_host(const std::string& host_header, const std::string& bound_host, int port) {
  const std::string port_suffix = ":" + std::to_string(port);
  const std::string bound = bound_host.find(':') != std::string::npos ? "[" + bound_host + "]" : bound_host;
  for (const std::string& name : {std::string("127.0.0.1"), std::string("[::1]"), std::string("localhost"), bound}) {
    if (host_header == name || host_header == name + port_suffix) return true;
  }
  return false;
}

std::optional<std::string> refusal(const AccessRules& rules, const AccessRequest& req) {
  if (rules.loopback_only && !is_loopback_host(req.host, rules.bound_host, rules.port))
    return "Host '" + req.host + "' is not this loopback server";
  if (req.method != "GET" && req.method != "HEAD" && !req.origin.empty() && req.origin != "http://" + req.host)
    return "cross-origin " + req.method + " from " + req.origin + " refused";
  if (rules.metrics_open && req.path == "/metrics") return std::nullopt;
  const std::string bearer = "Bearer ";
  const bool authorized = (!req.query_token.empty() && same_secret(req.query_token, rules.token)) ||
                          (req.authorization.compare(0, bearer.size(), bearer) == 0 &&
                           same_secret(req.authorization.substr(bearer.size()), rules.token)) ||
                          same_secret(cookie_value(req.cookie, kTokenCookie), rules.token);
  if (!authorized)
    return "an access token is required: open the URL heapwise printed (it ends in ?token=...), or send "
           "'Authorization: Bearer TOKEN'";
  return std::nullopt;
}

bool token_in_url(const AccessRules& rules, const AccessRequest& req) {
  return !req.query_token.empty() && same_secret(req.query_token, rules.token);
}

std::string token_cookie(const std::string& token) {
  return std::string(kTokenCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
}

AccessRequest access_request(const HttpRequest& req) {
  return {req.method,
          req.path,
          req.header("Host"),
          req.header("Origin"),
          req.query_value("token"),
          req.header("Authorization"),
          req.header("Cookie")};
}

AccessRules access_rules_for(const std::string& host, int port, bool metrics_open) {
  AccessRules rules;
  rules.token = random_token();
  rules.loopback_only = is_loopback_address(host);
  rules.bound_host = host;
  rules.port = port;
  rules.metrics_open = metrics_open;
  return rules;
}

std::string server_url(const AccessRules& rules) {
  const bool v6 = rules.bound_host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + rules.bound_host + "]" : rules.bound_host) + ":" + std::to_string(rules.port) +
         "/?token=" + rules.token;
}

}  // namespace heapwise::server
