// Reads a .heapsnapshot (plain or gzip) into a HeapGraph, validating as it goes.
//
// The small `snapshot` header goes through a real JSON parser; the integer
// arrays go through a dedicated scanner straight into the graph's columns
// (split between the usable CPUs for plain files); strings are decoded into one
// arena. Any problem stops the load with the byte offset and a reason.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "graph/heap_graph.h"
#include "util/result.h"

namespace heapwise {

struct LoadOptions {
  bool progress = true;                  // progress bar on stderr (only drawn on a TTY)
  size_t threads = 0;                    // parser threads for plain files; 0: one per usable CPU, up to 16
  size_t chunk_bytes = size_t{8} << 20;  // the text a thread takes at a time
};

struct LoadTimings {
  double parse_seconds = 0;
  // Each top-level section's share of it, in file order ("nodes", "strings"...).
  std::vector<std::pair<std::string, double>> section_seconds;
};

Result<std::unique_ptr<HeapGraph>> load_snapshot(const std::string& path, const LoadOptions& options = {},
                                                 LoadTimings* timings = nullptr);

}  // namespace heapwise
