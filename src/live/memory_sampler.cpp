// Memory samples (see memory_sampler.h).
#include "live/memory_sampler.h"

#include <chrono>
#include <string>

#include "live/cdp_fields.h"
#include "util/clock.h"

namespace heapwise::live {

namespace {

constexpr std::chrono::milliseconds kTimeout(10000);

// The sampler must not disturb what it measures. Evaluating an expression
// that calls `require` (from the command-line API) at every sample left a
// little garbage in the target each time, enough for a steady service's
// post-GC levels to creep up ~0.85 MB/min at 4 samples a second (the
// steady control of tests/integration/live_watch flagged it). So
// v8.getHeapSpaceStatistics is looked up once and kept as a remote object
// in our object group, and each sample calls a fixed function on it.
constexpr const char* kObjectGroup = "heapwise-sampler";
// An app may have replaced process.memoryUsage (or broken it): whatever it
// returns or throws, the sample takes what is a number and leaves the rest 0.
constexpr const char* kUsageFunction =
    "function () { let m = {}; try { m = process.memoryUsage() || {}; } catch (e) {}"
    " let s = []; try { s = this().map(x => [x.space_name, x.space_size, x.space_used_size,"
    " x.space_available_size]); } catch (e) {}"
    " return [m.rss, m.external, m.arrayBuffers, s]; }";

std::string space_label(std::string name) {
  const size_t at = name.find("_space");
  return at == std::string::npos ? name : name.substr(0, at);
}

nlohmann::json evaluate(TargetSession& session, const char* expression, const CdpClient::EventHandler& on_event = {}) {
  auto r = session.cdp().call("Runtime.evaluate",
                              {{"expression", expression}, {"includeCommandLineAPI", true}, {"returnByValue", true}},
                              kTimeout, on_event);
  return returned_value(r);
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
  s.wall_time = epoch_seconds();
  auto usage = session_.cdp().call("Runtime.getHeapUsage", nlohmann::json::object(), kTimeout, on_event);
  s.heap_used = count_field(usage, "usedSize");
  s.heap_total = count_field(usage, "totalSize");
  if (spaces_function_.empty()) {
    auto r = session_.cdp().call("Runtime.evaluate",
                                 {{"expression", "require('v8').getHeapSpaceStatistics"},
                                  {"includeCommandLineAPI", true},
                                  {"objectGroup", kObjectGroup}},
                                 kTimeout, on_event);
    spaces_function_ = string_field(field(r, "result"), "objectId");
    if (spaces_function_.empty()) throw CdpError("cannot reach v8.getHeapSpaceStatistics in the target");
  }
  auto r = session_.cdp().call(
      "Runtime.callFunctionOn",
      {{"objectId", spaces_function_}, {"functionDeclaration", kUsageFunction}, {"returnByValue", true}}, kTimeout,
      on_event);
  const auto& v = returned_value(r);
  if (v.is_array() && v.size() == 4) {
    s.rss = as_count(v[0]);
    s.external = as_count(v[1]);
    s.array_buffers = as_count(v[2]);
    if (v[3].is_array())
      for (const auto& sp : v[3])
        if (sp.is_array() && sp.size() == 4 && sp[0].is_string())
          s.spaces.push_back(
              {space_label(sp[0].get<std::string>()), as_count(sp[1]), as_count(sp[2]), as_count(sp[3])});
  }
  if (session_.target_pid() > 0) s.proc = read_proc_stats(session_.target_pid());
  return s;
}

uint64_t MemorySampler::heap_limit() {
  try {
    const auto v = evaluate(session_, "require('v8').getHeapStatistics().heap_size_limit");
    return as_count(v);
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
