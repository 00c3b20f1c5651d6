// Duplicated strings (see duplicate_strings.h).
#include "analysis/duplicate_strings.h"

#include <algorithm>
#include <functional>

namespace heapwise {

bool is_string_node(const HeapGraph& g, NodeIndex n) {
  const int t = g.node_type[n];
  return t == g.node_types.string || t == g.node_types.cons_string || t == g.node_types.sliced_string;
}

std::vector<DuplicateString> find_duplicate_strings(const Snapshot& s) {
  const HeapGraph& g = s.graph();
  // Per string index first (V8 stores each distinct value once, so equal
  // values usually share an index), in flat arrays: a hash map per node
  // would dominate the time on big heaps.
  struct PerIndex {
    uint32_t copies = 0;
    uint64_t total = 0, biggest = 0;
    NodeIndex example = NodeIndex::none();
  };
  std::vector<PerIndex> per_index(g.strings.size());
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    // Only flat strings: V8 names cons and sliced strings by their kind, not their value.
    if (g.node_type[n] != g.node_types.string || s.self_size(n) == 0 || s.distance(n) < 0) continue;
    PerIndex& p = per_index[g.node_name[n]];
    if (p.copies++ == 0) p.example = n;
    p.total += s.self_size(n);
    p.biggest = std::max(p.biggest, s.self_size(n));
  }
  // Then merge indices holding the same text (files that do not dedup):
  // sort (hash, index) pairs and walk runs of equal hashes, which is much
  // cheaper than a node-based hash map over millions of strings.
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  for (uint32_t i = 0; i < per_index.size(); ++i)
    if (per_index[i].copies) keyed.emplace_back(std::hash<std::string_view>{}(g.strings[i]), i);
  std::sort(keyed.begin(), keyed.end());
  std::vector<DuplicateString> out;
  for (size_t run = 0; run < keyed.size();) {
    size_t run_end = run + 1;
    while (run_end < keyed.size() && keyed[run_end].first == keyed[run].first) ++run_end;
    // Within a run (almost always one index), group equal texts.
    std::vector<bool> taken(run_end - run, false);
    for (size_t a = run; a < run_end; ++a) {
      if (taken[a - run]) continue;
      const std::string_view text = g.strings[keyed[a].second];
      DuplicateString d;
      d.value = text;
      d.example = per_index[keyed[a].second].example;
      uint64_t biggest = 0;
      for (size_t b = a; b < run_end; ++b) {
        if (taken[b - run] || g.strings[keyed[b].second] != text) continue;
        taken[b - run] = true;
        const PerIndex& p = per_index[keyed[b].second];
        d.copies += p.copies;
        d.total_size += p.total;
        biggest = std::max(biggest, p.biggest);
      }
      if (d.copies < 2) continue;
      d.wasted_size = d.total_size - biggest;
      out.push_back(d);
    }
    run = run_end;
  }
  std::sort(out.begin(), out.end(), [](const DuplicateString& a, const DuplicateString& b) {
    if (a.wasted_size != b.wasted_size) return a.wasted_size > b.wasted_size;
    return a.value < b.value;
  });
  return out;
}

}  // namespace heapwise
