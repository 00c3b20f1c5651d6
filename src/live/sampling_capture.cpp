// Allocation sampling (see sampling_capture.h).
#include "live/sampling_capture.h"

#include <cstdio>
#include <fstream>
#include <thread>

#include "live/cdp_fields.h"
#include "live/interrupt.h"

namespace heapwise::live {

uint64_t record_sampling_profile(TargetSession& session, const std::string& path, const SamplingOptions& options) {
  CdpClient& cdp = session.cdp();
  const auto timeout = std::chrono::milliseconds(30000);
  bool target_gone = false;
  auto watch_exit = [&](const std::string& method, const nlohmann::json&) {
    if (method == "Runtime.executionContextDestroyed") target_gone = true;
  };
  cdp.call("HeapProfiler.enable", nlohmann::json::object(), timeout);
  cdp.call("HeapProfiler.startSampling", {{"samplingInterval", options.interval_bytes}}, timeout);
  nlohmann::json profile;
  try {
    // Wait in short steps: a cheap call each second also tells us the target is alive.
    const auto end = std::chrono::steady_clock::now() + options.duration;
    while (std::chrono::steady_clock::now() < end && !interrupted() && !target_gone) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(1000)));
      cdp.call("Runtime.getHeapUsage", nlohmann::json::object(), timeout, watch_exit);
    }
    if (target_gone) throw CdpError("the target exited while sampling");
    profile = field(cdp.call("HeapProfiler.stopSampling", nlohmann::json::object(), timeout, watch_exit), "profile");
  } catch (...) {
    try {
      cdp.send("HeapProfiler.stopSampling", nlohmann::json::object());
    } catch (const CdpError&) {
    }
    throw;
  }
  if (!field(profile, "head").is_object()) throw CdpError("HeapProfiler.stopSampling answered no profile");
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary);
    out << profile.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!out) {
      std::remove(partial.c_str());
      throw CdpError("cannot write " + partial);
    }
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::remove(partial.c_str());
    throw CdpError("cannot rename " + partial + " to " + path);
  }
  uint64_t bytes = 0;
  std::vector<const nlohmann::json*> stack{&field(profile, "head")};
  while (!stack.empty()) {
    const nlohmann::json* n = stack.back();
    stack.pop_back();
    bytes += count_field(*n, "selfSize");
    if (const auto& children = field(*n, "children"); children.is_array())
      for (const auto& c : children) stack.push_back(&c);
  }
  return bytes;
}

}  // namespace heapwise::live
