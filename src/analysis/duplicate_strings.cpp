// Duplicated strings (see duplicate_strings.h).
#include "analysis/duplicate_strings.h"

#include <algorithm>
#include <unordered_map>

namespace heapwise {

bool is_string_node(const HeapGraph& g, NodeIndex n) {
  const int t = g.node_type[n];
  return t == g.nt.string || t == g.nt.cons_string || t == g.nt.sliced_string;
}

std::vector<DuplicateString> find_duplicate_strings(const Snapshot& s) {
  const HeapGraph& g = s.graph();
  // Nodes of equal value share the name string index when the file dedups
  // strings (V8 does), so group by index first, then merge equal texts.
  std::unordered_map<uint32_t, DuplicateString> by_index;
  std::unordered_map<uint32_t, uint64_t> biggest;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    // Only flat strings: V8 names cons and sliced strings by their kind, not their value.
    if (g.node_type[n] != g.nt.string || s.self_size(n) == 0 || s.distance(n) < 0) continue;
    const uint32_t idx = g.node_name[n];
    DuplicateString& d = by_index[idx];
    if (d.copies == 0) {
      d.value = g.strings[idx];
      d.example = n;
    }
    ++d.copies;
    d.total_size += s.self_size(n);
    biggest[idx] = std::max(biggest[idx], s.self_size(n));
  }
  std::unordered_map<std::string_view, DuplicateString> by_text;
  std::unordered_map<std::string_view, uint64_t> biggest_text;
  for (auto& [idx, d] : by_index) {
    DuplicateString& t = by_text[d.value];
    if (t.copies == 0) {
      t = d;
    } else {
      t.copies += d.copies;
      t.total_size += d.total_size;
    }
    biggest_text[d.value] = std::max(biggest_text[d.value], biggest[idx]);
  }
  std::vector<DuplicateString> out;
  for (auto& [text, d] : by_text) {
    if (d.copies < 2) continue;
    d.wasted_size = d.total_size - biggest_text[text];
    out.push_back(d);
  }
  std::sort(out.begin(), out.end(), [](const DuplicateString& a, const DuplicateString& b) {
    if (a.wasted_size != b.wasted_size) return a.wasted_size > b.wasted_size;
    return a.value < b.value;
  });
  return out;
}

}  // namespace heapwise
