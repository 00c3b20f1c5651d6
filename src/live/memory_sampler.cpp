// Memory samples (see memory_sampler.h).
#include "live/memory_sampler.h"

#include <fstream>
#include <string>

namespace heapwise::live {

namespace {
constexpr std::chrono::milliseconds kTimeout(10000);
}

nlohmann::ordered_json to_json(const MemorySample& s) {
  return {{"t", s.t},         {"heap_used", s.heap_used}, {"heap_total", s.heap_total},
          {"rss", s.rss},     {"external", s.external},   {"array_buffers", s.array_buffers},
          {"proc_rss", s.proc_rss}};
}

uint64_t proc_vm_rss(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // kB
  return 0;
}

MemorySample MemorySampler::sample(double t, const CdpClient::EventHandler& on_event) {
  MemorySample s;
  s.t = t;
  CdpClient& cdp = session_.cdp();
  auto usage = cdp.call("Runtime.getHeapUsage", nlohmann::json::object(), kTimeout, on_event);
  s.heap_used = usage.value("usedSize", uint64_t{0});
  s.heap_total = usage.value("totalSize", uint64_t{0});
  auto r = cdp.call("Runtime.evaluate",
                    {{"expression", "(() => { const m = process.memoryUsage(); return [m.rss, m.external, m.arrayBuffers]; })()"},
                     {"returnByValue", true}},
                    kTimeout, on_event);
  const auto& v = r["result"]["value"];
  if (v.is_array() && v.size() == 3) {
    s.rss = v[0].get<uint64_t>();
    s.external = v[1].get<uint64_t>();
    s.array_buffers = v[2].get<uint64_t>();
  }
  if (session_.target_pid() > 0) s.proc_rss = proc_vm_rss(session_.target_pid());
  return s;
}

uint64_t MemorySampler::heap_limit() {
  try {
    auto r = session_.cdp().call("Runtime.evaluate",
                                 {{"expression", "require('v8').getHeapStatistics().heap_size_limit"},
                                  {"includeCommandLineAPI", true},
                                  {"returnByValue", true}},
                                 kTimeout);
    return r["result"].value("value", uint64_t{0});
  } catch (const CdpError&) {
    return 0;
  }
}

}  // namespace heapwise::live
