// What the kernel says about a process (/proc/PID/status, stat, fd, limits):
// the figures prom-client's default process_* metrics report, read from
// outside the process instead of from inside it.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace heapwise::live {

struct ProcStats {
  bool known = false;         // false when /proc/PID could not be read
  uint64_t rss = 0;           // VmRSS (bytes)
  uint64_t virtual_size = 0;  // VmSize
  uint64_t data_size = 0;     // VmData (prom-client's process_heap_bytes)
  double cpu_user_seconds = 0, cpu_system_seconds = 0;
  double start_time_seconds = 0;  // since the epoch
  uint64_t open_fds = 0, max_fds = 0;
};

ProcStats read_proc_stats(pid_t pid);

}  // namespace heapwise::live
