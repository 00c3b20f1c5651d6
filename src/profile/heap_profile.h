// Sampling heap profiles (.heapprofile, the result of
// HeapProfiler.stopSampling): reading them, the top allocating functions,
// collapsed stacks and a self-contained flame graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/result.h"

namespace heapwise {

struct ProfileNode {
  std::string function, url;
  int32_t line = -1, column = -1;  // 0-based in the file, as V8 writes them
  uint64_t self_size = 0;
  uint32_t parent = UINT32_MAX;
  std::vector<uint32_t> children;
};

struct HeapProfile {
  std::vector<ProfileNode> nodes;  // nodes[0] is the root
  uint64_t total_size = 0;
};

struct FunctionAllocation {
  std::string function, url;
  int32_t line = -1, column = -1;
  uint64_t self_size = 0, total_size = 0;
  std::string location() const;  // "url:line:column" (1-based)
};

Result<HeapProfile> read_heap_profile(const std::string& path);
// Per function, biggest self size first; total counts a function once per stack.
std::vector<FunctionAllocation> top_functions(const HeapProfile& p);
// "root;outer;inner bytes" lines (Brendan Gregg's collapsed format).
std::string collapsed_stacks(const HeapProfile& p);
// A self-contained HTML page with an SVG flame graph.
std::string flame_graph_html(const HeapProfile& p, const std::string& title);

}  // namespace heapwise
