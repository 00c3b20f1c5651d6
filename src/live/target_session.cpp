// Target resolution and the session's lifetime (see target_session.h).
#include "live/target_session.h"

#include <regex>

#include "live/inspector_http.h"

namespace heapwise::live {

namespace {
constexpr std::chrono::milliseconds kConnectTimeout(5000);
constexpr std::chrono::milliseconds kCallTimeout(10000);
}  // namespace

std::string TargetSpec::describe() const {
  if (pid) return "PID " + std::to_string(*pid);
  if (inspect) return *inspect;
  return url.value_or("?");
}

TargetSession::TargetSession(const TargetSpec& spec) {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  if (spec.url) {
    url_ = *spec.url;
  } else if (spec.inspect) {
    static const std::regex re(R"(^(.+):(\d{1,5})$)");
    std::smatch m;
    if (!std::regex_match(*spec.inspect, m, re) || std::stoul(m[2]) > 65535)
      throw AttachError("--inspect needs HOST:PORT, not '" + *spec.inspect + "'");
    host = m[1];
    port = static_cast<uint16_t>(std::stoul(m[2]));
  } else if (spec.pid) {
    InspectorEndpoint ep = open_inspector(*spec.pid);
    host = ep.host;
    port = ep.port;
    opened_by_us_ = ep.opened_by_us;
    pid_ = *spec.pid;
  }
  if (url_.empty()) {
    auto url = discover_websocket_url(host, port, kConnectTimeout);
    if (!url) throw AttachError("no V8 inspector answers at " + host + ":" + std::to_string(port));
    url_ = *url;
  }
  try {
    client_ = CdpClient::connect(url_, kConnectTimeout);
    // Runtime events tell us when the target wants to exit (we must leave then).
    client_->call("Runtime.enable", nlohmann::json::object(), kCallTimeout);
    auto r = client_->call("Runtime.evaluate", {{"expression", "process.pid"}, {"returnByValue", true}}, kCallTimeout);
    const pid_t reported = r["result"].value("value", 0);
    if (pid_ && reported && reported != pid_)
      throw AttachError("the inspector found for PID " + std::to_string(pid_) + " belongs to PID " +
                        std::to_string(reported));
    if (!pid_) pid_ = reported;
  } catch (const CdpError& e) {
    leave();
    throw AttachError(std::string("cannot talk to ") + spec.describe() + ": " + e.what());
  } catch (const AttachError&) {
    leave();
    throw;
  }
}

void TargetSession::leave() {
  if (left_) return;
  left_ = true;
  if (client_ && opened_by_us_) {
    // We opened the port: close it again. The reply never comes (the socket closes).
    try {
      client_->send("Runtime.evaluate", {{"expression", "process._debugEnd()"}});
      // The target closes the socket once the port is closed: wait for that
      // (a second at most) so the port is really gone when we return.
      client_->wait_events(std::chrono::milliseconds(1000), {});
    } catch (const CdpError&) {
    }
  }
  if (client_) client_->close();
}

TargetSession::~TargetSession() { leave(); }

}  // namespace heapwise::live
