// Target resolution and the session's lifetime (see target_session.h).
#include "live/target_session.h"

#include <cstdio>
#include <iostream>
#include <regex>

#include "live/cdp_fields.h"
#include "live/inspector_http.h"

namespace heapwise::live {

namespace {
constexpr std::chrono::milliseconds kConnectTimeout(5000);
constexpr std::chrono::milliseconds kCallTimeout(10000);

// Planted in a target whose inspector heapwise opened: every 500 ms it counts
// the inspector's open connections (its port, established, in
// /proc/self/net/tcp*) and when none is left it closes the inspector. So the
// inspector closes by itself when heapwise dies (SIGKILL included: its
// socket closes with it), and when heapwise leaves while another client is
// attached, once that client has gone too: closing it under a client that
// does not answer the WebSocket close would block the target's event loop
// until the client leaves (6.9 s measured with a silent client). The timer
// is unref'd: it never keeps the target alive.
std::string watchdog_expression(uint16_t port) {
  char suffix[8];  // how /proc/net/tcp writes a local port: ":2405"
  std::snprintf(suffix, sizeof suffix, ":%04X", port);
  return std::string("(() => { const fs = require('fs'); const port = '") + suffix + R"(';
  const key = Symbol.for('heapwise.inspector-watchdog');
  clearInterval(globalThis[key]);
  const clients = () => {
    let n = 0;
    for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
      let text = '';
      try { text = fs.readFileSync(table, 'latin1'); } catch (e) { continue; }
      for (const line of text.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length > 3 && f[1].endsWith(port) && f[3] === '01') n++;
      }
    }
    return n;
  };
  const timer = setInterval(() => {
    if (clients() > 0) return;
    clearInterval(timer);
    delete globalThis[key];
    try { process._debugEnd(); } catch (e) {}
  }, 500);
  timer.unref();
  globalThis[key] = timer;
  return clients();
})())";
}

}  // namespace

std::string TargetSpec::describe() const {
  if (pid) return "PID " + std::to_string(*pid);
  if (inspect) return *inspect;
  return url.value_or("?");
}

TargetSession::TargetSession(const TargetSpec& spec) {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  bool loopback_only = true;
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
    loopback_only = ep.loopback_only;
    pid_ = *spec.pid;
    port_ = ep.port;
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
    const uint64_t value = as_count(returned_value(r));
    const pid_t reported = value <= 0x7fffffff ? static_cast<pid_t>(value) : 0;
    if (pid_ && reported && reported != pid_)
      throw AttachError("the inspector found for PID " + std::to_string(pid_) + " belongs to PID " +
                        std::to_string(reported));
    if (!pid_) pid_ = reported;
    if (opened_by_us_) plant_watchdog();
    // The options read before signalling said loopback; a process whose
    // command line was rewritten (process.title) can hide them. Never stay
    // on an inspector we opened where other machines reach it.
    if (opened_by_us_ && !loopback_only)
      throw AttachError("PID " + std::to_string(pid_) + " opened its inspector on port " + std::to_string(port_) +
                        " of an address other machines can reach (not loopback), although its command line did not "
                        "say so; heapwise closed it again. "
                        "Start it with --inspect-port=127.0.0.1:0 to let heapwise attach");
  } catch (const CdpError& e) {
    leave();
    throw AttachError(std::string("cannot talk to ") + spec.describe() + ": " + e.what());
  } catch (const AttachError&) {
    leave();
    throw;
  }
}

void TargetSession::plant_watchdog() {
  auto r = client_->call(
      "Runtime.evaluate",
      {{"expression", watchdog_expression(port_)}, {"includeCommandLineAPI", true}, {"returnByValue", true}},
      kCallTimeout);
  // It counts our own connection: 0 would mean it cannot see it.
  watchdog_ = as_count(returned_value(r)) >= 1;
}

void TargetSession::leave() {
  if (left_) return;
  left_ = true;
  if (client_ && opened_by_us_) {
    const size_t connections = port_ ? inspector_connections(pid_, port_) : 0;
    const size_t others = connections > 1 ? connections - 1 : 0;
    if (others > 0) {
      // Closing now would block the target until they leave: the watchdog
      // closes it after them.
      std::cerr << "heapwise: " << others << " other client" << (others > 1 ? "s are" : " is")
                << " attached to the inspector heapwise opened in PID " << pid_ << "; "
                << (watchdog_ ? "it will close when they leave" : "it stays open (close it with their debugger)")
                << "\n";
    } else if (watchdog_) {
      // We opened the port: the watchdog closes it once we have gone.
      // Closing it ourselves (process._debugEnd() through Runtime.evaluate,
      // even deferred with setImmediate) while our session was still
      // connected crashed node 20 with SIGSEGV in 2 to 9 of 40 watches that
      // left; with no client connected, as the watchdog does it, it never did.
      client_->close();
      client_.reset();
      // Return once the port is really gone (the watchdog looks every 500 ms).
      wait_port_closed(pid_, port_, std::chrono::milliseconds(3000));
    } else {
      // No watchdog (it could not see its own connection): close the port
      // ourselves, the only way left. The reply never comes (the socket closes).
      try {
        client_->send("Runtime.evaluate", {{"expression", "process._debugEnd()"}});
        client_->wait_events(std::chrono::milliseconds(1000), {});
      } catch (const CdpError&) {
      }
    }
  }
  if (client_) client_->close();
}

TargetSession::~TargetSession() { leave(); }

}  // namespace heapwise::live
