// Opening a snapshot for a command (see command.h).
#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "util/progress.h"

namespace heapwise::cli {

std::unique_ptr<Snapshot> open_snapshot(const std::string& path) {
  auto snapshot = Snapshot::open(path, Progress::stderr_is_tty());
  if (!snapshot.ok()) {
    const Error& e = snapshot.error();
    throw CommandFailure(kExitBadInput, e.in(path));
  }
  // HEAPWISE_TIMINGS=1: the time and memory of each phase, for benchmarks.
  if (const char* t = std::getenv("HEAPWISE_TIMINGS"); t && *t && *t != '0') {
    for (const auto& phase : snapshot.value()->timings())
      std::fprintf(stderr, "heapwise: phase %-28s %7.3f s  rss %7.1f MB\n", phase.phase.c_str(), phase.seconds,
                   static_cast<double>(phase.rss_bytes) / 1e6);
    const HeapGraph& g = snapshot.value()->graph();
    std::fprintf(stderr, "heapwise: graph %.1f MB (strings %.1f MB, %zu locations)\n",
                 static_cast<double>(g.memory_bytes()) / 1e6, static_cast<double>(g.strings.memory_bytes()) / 1e6,
                 g.locations.size());
  }
  return std::move(snapshot.value());
}

}  // namespace heapwise::cli
