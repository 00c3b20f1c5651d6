// One memory sample of a live process: V8's heap usage
// (Runtime.getHeapUsage), process.memoryUsage() and the heap spaces through
// Runtime.evaluate, and the kernel's view (/proc/PID/...).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "live/proc_stats.h"
#include "live/target_session.h"

namespace heapwise::live {

// v8.getHeapSpaceStatistics(), named as prom-client names them ("new",
// "old", "code", "large_object", ...: the space name without "_space").
struct HeapSpace {
  std::string name;
  uint64_t size = 0, used = 0, available = 0;
};

struct MemorySample {
  double t = 0;                                       // seconds since watching started
  double wall_time = 0;                               // seconds since the epoch
  uint64_t heap_used = 0, heap_total = 0;             // Runtime.getHeapUsage
  uint64_t rss = 0, external = 0, array_buffers = 0;  // process.memoryUsage()
  std::vector<HeapSpace> spaces;
  ProcStats proc;  // /proc/PID (proc.known false when not readable, e.g. a remote target)
  // The RSS to judge: the kernel's when known, else what the process said.
  uint64_t resident() const { return proc.known ? proc.rss : rss; }
};

nlohmann::ordered_json to_json(const MemorySample& s);

class MemorySampler {
 public:
  explicit MemorySampler(TargetSession& session) : session_(session) {}
  // Throws CdpError when the target is gone.
  MemorySample sample(double t, const CdpClient::EventHandler& on_event);
  // V8's heap size limit (v8.getHeapStatistics().heap_size_limit), 0 if unknown.
  uint64_t heap_limit();
  // process.version ("v20.20.2"), "" if unknown.
  std::string node_version();

 private:
  TargetSession& session_;
  std::string spaces_function_;  // remote object: the target's v8.getHeapSpaceStatistics
};

}  // namespace heapwise::live
