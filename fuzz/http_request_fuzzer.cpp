// The servers' request handling on any bytes: Beast's parser with the
// limits the server sets, the target decoded as the server decodes it, then
// the watch server's handler (access rules, routes, the snapshot directory,
// the explorer over its snapshots) for a request from 127.0.0.1. In the
// input, TOKEN and PORT stand for the server's access token and port, so the
// fuzzer can get past the door. Beyond crashes, two properties are checked:
//  - a request that does not carry the token is refused (403);
//  - no answer serves a file other than a listed snapshot: the directory
//    holds a link to a file outside it, which must never be opened.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "server/http_server.h"
#include "server/watch_server.h"
#include "watch/capture_requests.h"
#include "watch/snapshot_store.h"
#include "watch/watch_state.h"

namespace {

namespace http = boost::beast::http;
using heapwise::server::HttpResponse;

constexpr const char* kSecret = "not a snapshot: a file outside the snapshot directory";

// A snapshot of three objects, enough for the explorer to answer.
constexpr const char* kTinySnapshot =
    R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],)"
    R"("node_types":[["hidden","object","string","synthetic"],"string","number","number","number"],)"
    R"("edge_fields":["type","name_or_index","to_node"],)"
    R"("edge_types":[["element","property","internal"],"string_or_number","node"]},"node_count":3,"edge_count":2},)"
    R"("nodes":[3,0,1,0,1,1,1,3,16,1,2,2,5,24,0],"edges":[0,1,5,1,3,10],"strings":["","Alpha","hello","text"]})";

struct Fixture {
  std::string dir, secret;
  heapwise::watch::SharedWatchState state;
  heapwise::watch::CaptureRequests captures;
  std::unique_ptr<heapwise::watch::SnapshotStore> store;
  std::unique_ptr<heapwise::server::WatchServer> server;
  std::string token, port;

  Fixture() {
    char base[] = "/tmp/heapwise-http-fuzz-XXXXXX";
    if (!mkdtemp(base)) std::abort();
    dir = std::string(base) + "/snapshots";
    secret = std::string(base) + "/secret.heapsnapshot";
    mkdir(dir.c_str(), 0700);
    std::ofstream(dir + "/hunt-20260101-000000-1.heapsnapshot") << kTinySnapshot;
    std::ofstream(secret) << kSecret;
    if (symlink(secret.c_str(), (dir + "/snapshot-20260101-000001.heapsnapshot").c_str()) != 0) std::abort();
    store = std::make_unique<heapwise::watch::SnapshotStore>(dir, 10, uint64_t{1} << 30);
    server = std::make_unique<heapwise::server::WatchServer>(
        heapwise::server::ListenAddress{"127.0.0.1", 0}, heapwise::server::ServerOptions{}, state, captures, *store);
    const std::string url = server->url();
    token = url.substr(url.find("token=") + 6);
    port = std::to_string(server->port());
  }
};

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The answer must not be the file outside the directory.
void check_answer(const HttpResponse& r, const std::string& secret) {
  if (r.file < 0) return;
  std::string head(256, '\0');
  const ssize_t n = pread(r.file, head.data(), head.size(), 0);
  close(r.file);
  if (n > 0 && head.compare(0, static_cast<size_t>(n), secret, 0, static_cast<size_t>(n)) == 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fixture = new Fixture();  // lives as long as the process, as the server does
  std::string text(reinterpret_cast<const char*>(data), size);
  replace_all(text, "TOKEN", fixture->token);
  replace_all(text, "PORT", fixture->port);

  const heapwise::server::HttpLimits limits;
  http::request_parser<http::string_body> parser;
  parser.header_limit(limits.header_bytes);
  parser.body_limit(limits.body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t offset = 0;
  while (offset < text.size() && !parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(text.data() + offset, text.size() - offset), ec);
    if (ec || used == 0) break;
    offset += used;
  }
  if (!parser.is_done()) return 0;  // the server answers 400/413/431 or waits for more
  auto message = parser.release();

  heapwise::server::HttpRequest req;
  req.method = std::string(message.method_string());
  req.client = "127.0.0.1";
  if (!heapwise::server::decode_target(std::string_view(message.target().data(), message.target().size()), req))
    return 0;
  for (const auto& f : message) req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  req.body = message.body();

  // The token may come percent-encoded in the query: look at it decoded too.
  bool has_token = text.find(fixture->token) != std::string::npos;
  for (const auto& [name, value] : req.query) has_token = has_token || value.find(fixture->token) != std::string::npos;
  const std::string secret = kSecret;
  fixture->server->handle(req, [has_token, secret](HttpResponse r) {
    if (!has_token && r.status != 403) __builtin_trap();  // through the door without the token
    check_answer(r, secret);
  });
  return 0;
}
