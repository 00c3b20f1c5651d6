// Memory samples (see memory_sampler.h).
#include "live/memory_sampler.h"

#include <chrono>
#include <string>

namespace heapwise::live {

namespace {

constexpr std::chrono::milliseconds kTimeout(10000);

// One evaluation per sample; `require` comes from the command-line API.
constexpr const char* kUsageExpression =
    "(() => { const m = process.memoryUsage();"
    " const s = require('v8').getHeapSpaceStatistics().map("
    "x => [x.space_name, x.space_size, x.space_used_size, x.space_available_size]);"
    " return [m.rss, m.external, m.arrayBuffers, s]; })()";

std::string space_label(std::string name) {
  const size_t at = name.find("_space");
  return at == std::string::npos ? name : name.substr(0, at);
}

nlohmann::json evaluate(TargetSession& session, const char* expression, const CdpClient::EventHandler& on_event = {}) {
  auto r = session.cdp().call(
      "Runtime.evaluate", {{"expression", expression}, {"includeCommandLineAPI", true}, {"returnByValue", true}},
      kTimeout, on_event);
  return r["result"].value("value", nlohmann::json());
}

}  // namespace

nlohmann::ordered_json to_json(const MemorySample& s) {
  nlohmann::ordered_json j{{"t", s.t},
                           {"time", s.wall_time},
                           {"heap_used", s.heap_used},
                           {"heap_total", s.heap_total},
                           {"rss", s.resident()},
                           {"external", s.external},
                           {"array_buffers", s.array_buffers}};
  auto& spaces = j["heap_spaces"] = nlohmann::ordered_json::array();
  for (const auto& sp : s.spaces)
    spaces.push_back({{"space", sp.name}, {"size", sp.size}, {"used", sp.used}, {"available", sp.available}});
  return j;
}

MemorySample MemorySampler::sample(double t, const CdpClient::EventHandler& on_event) {
  MemorySample s;
  s.t = t;
  s.wall_time = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto usage = session_.cdp().call("Runtime.getHeapUsage", nlohmann::json::object(), kTimeout, on_event);
  s.heap_used = usage.value("usedSize", uint64_t{0});
  s.heap_total = usage.value("totalSize", uint64_t{0});
  const auto v = evaluate(session_, kUsageExpression, on_event);
  if (v.is_array() && v.size() == 4) {
    s.rss = v[0].get<uint64_t>();
    s.external = v[1].get<uint64_t>();
    s.array_buffers = v[2].get<uint64_t>();
    for (const auto& sp : v[3])
      if (sp.is_array() && sp.size() == 4)
        s.spaces.push_back({space_label(sp[0].get<std::string>()), sp[1].get<uint64_t>(), sp[2].get<uint64_t>(),
                            sp[3].get<uint64_t>()});
  }
  if (session_.target_pid() > 0) s.proc = read_proc_stats(session_.target_pid());
  return s;
}

uint64_t MemorySampler::heap_limit() {
  try {
    const auto v = evaluate(session_, "require('v8').getHeapStatistics().heap_size_limit");
    return v.is_number_unsigned() ? v.get<uint64_t>() : 0;
  } catch (const CdpError&) {
    return 0;
  }
}

std::string MemorySampler::node_version() {
  try {
    const auto v = evaluate(session_, "process.version");
    return v.is_string() ? v.get<std::string>() : "";
  } catch (const CdpError&) {
    return "";
  }
}

}  // namespace heapwise::live
