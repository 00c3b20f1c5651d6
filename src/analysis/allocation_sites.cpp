// Allocation sites (see allocation_sites.h).
#include "analysis/allocation_sites.h"

#include <algorithm>
#include <map>

namespace heapwise {

FrameKey frame_key(const StackFrame& f) { return {f.function_name, f.script_id, f.line, f.column}; }

bool SiteTraces::add(const std::vector<StackFrame>& stack, uint64_t objects) {
  if (stack.size() > 1) callers_.insert(frame_key(stack[1]));
  if (objects <= most_) return false;
  most_ = objects;
  return true;
}

std::vector<AllocationSite> allocation_sites(const Snapshot& s) {
  const HeapGraph& g = s.graph();
  std::vector<AllocationSite> out;
  if (g.trace_node_id.empty() || g.trace_nodes.empty()) return out;
  // Objects per (summary row, trace node). Trace nodes are call paths; they
  // are merged below by their top function.
  struct TraceCount {
    uint64_t count = 0, self_size = 0;
    NodeIndex example = NodeIndex::none();
  };
  std::map<std::pair<uint32_t, uint32_t>, TraceCount> by_trace;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    const uint32_t row = s.aggregates().row_of_node[n];
    if (row == kNoRow || g.trace_node_id[n] == 0) continue;
    TraceCount& t = by_trace[{row, g.trace_node_id[n]}];
    if (t.count == 0) t.example = n;
    ++t.count;
    t.self_size += s.self_size(n);
  }
  struct Site {
    AllocationSite site;
    SiteTraces traces;
  };
  std::map<std::pair<uint32_t, FrameKey>, Site> by_function;
  for (const auto& [key, t] : by_trace) {
    auto stack = allocation_stack(s, t.example);
    if (stack.empty()) continue;
    Site& entry = by_function[{key.first, frame_key(stack[0])}];
    if (entry.traces.add(stack, t.count)) {
      entry.site.class_row = key.first;
      entry.site.frame = stack[0];
      entry.site.caller = stack.size() > 1 ? frame_text(stack[1]) : "";
      entry.site.example = t.example;
    }
    entry.site.count += t.count;
    entry.site.self_size += t.self_size;
  }
  for (auto& [key, entry] : by_function) {
    entry.site.other_callers = entry.traces.other_callers();
    out.push_back(std::move(entry.site));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const AllocationSite& a, const AllocationSite& b) { return a.self_size > b.self_size; });
  return out;
}

}  // namespace heapwise
