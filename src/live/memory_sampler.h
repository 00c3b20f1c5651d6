// One memory sample of a live process: V8's heap usage
// (Runtime.getHeapUsage), process.memoryUsage() through Runtime.evaluate,
// and the kernel's view (/proc/PID/status).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "live/target_session.h"

namespace heapwise::live {

struct MemorySample {
  double t = 0;  // seconds since watching started
  uint64_t heap_used = 0, heap_total = 0;           // Runtime.getHeapUsage
  uint64_t rss = 0, external = 0, array_buffers = 0;  // process.memoryUsage()
  uint64_t proc_rss = 0;                             // VmRSS from /proc (0 if unknown)
};

nlohmann::ordered_json to_json(const MemorySample& s);

class MemorySampler {
 public:
  explicit MemorySampler(TargetSession& session) : session_(session) {}
  // Throws CdpError when the target is gone.
  MemorySample sample(double t, const CdpClient::EventHandler& on_event);
  // V8's heap size limit (v8.getHeapStatistics().heap_size_limit), 0 if unknown.
  uint64_t heap_limit();

 private:
  TargetSession& session_;
};

uint64_t proc_vm_rss(pid_t pid);

}  // namespace heapwise::live
