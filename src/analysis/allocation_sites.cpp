// Allocation sites (see allocation_sites.h).
#include "analysis/allocation_sites.h"

#include <algorithm>
#include <map>

namespace heapwise {

std::vector<AllocationSite> allocation_sites(const Snapshot& s) {
  const HeapGraph& g = s.graph();
  std::vector<AllocationSite> out;
  if (g.trace_node_id.empty() || g.trace_nodes.empty()) return out;
  // Key: (summary row, trace node). Trace nodes are call paths, so two nodes
  // with the same top function are merged below by function.
  std::map<std::pair<uint32_t, uint32_t>, std::pair<uint64_t, uint64_t>> by_trace;
  std::map<std::pair<uint32_t, uint32_t>, NodeIndex> example;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    const uint32_t row = s.aggregates().row_of_node[n];
    if (row == kNoRow || g.trace_node_id[n] == 0) continue;
    auto key = std::make_pair(row, g.trace_node_id[n]);
    auto& v = by_trace[key];
    if (v.first == 0) example[key] = n;
    ++v.first;
    v.second += s.self_size(n);
  }
  std::map<std::tuple<uint32_t, std::string, std::string>, AllocationSite> by_function;
  for (const auto& [key, v] : by_trace) {
    auto stack = allocation_stack(s, example[key]);
    if (stack.empty()) continue;
    std::string caller = stack.size() > 1 ? frame_text(stack[1]) : "";
    AllocationSite& site = by_function[{key.first, frame_text(stack[0]), caller}];
    if (site.count == 0) {
      site.class_row = key.first;
      site.frame = stack[0];
      site.caller = caller;
      site.example = example[key];
    }
    site.count += v.first;
    site.self_size += v.second;
  }
  for (auto& [key, site] : by_function) out.push_back(std::move(site));
  std::stable_sort(out.begin(), out.end(),
                   [](const AllocationSite& a, const AllocationSite& b) { return a.self_size > b.self_size; });
  return out;
}

}  // namespace heapwise
