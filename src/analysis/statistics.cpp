// Statistics categories (see statistics.h).
#include "analysis/statistics.h"

#include <string_view>

#include "util/bit_array.h"

namespace heapwise {

namespace {

// Index of the string equal to `text`, or none when absent, so that hot
// loops compare integers instead of strings.
StringIndex find_string(const HeapGraph& g, std::string_view text) {
  for (StringIndex i = 0; i < g.strings.size(); ++i)
    if (g.strings[i] == text) return i;
  return StringIndex::none();
}

}  // namespace

HeapStatistics compute_statistics(const HeapGraph& g, const SizeColumn& self_sizes, const DominatorTree& tree) {
  HeapStatistics s;
  // Strings may repeat in a file, so compare by text once per distinct index.
  const StringIndex array_buffer_data = find_string(g, "system / JSArrayBufferData");
  const StringIndex array_name = find_string(g, "Array");
  const StringIndex elements_name = find_string(g, "elements");
  auto name_is = [&](StringIndex idx, StringIndex first, std::string_view text) {
    return idx == first || (!first.is_none() && idx > first && g.strings[idx] == text);
  };

  // An Array's elements store counts as part of the array only when nothing
  // else points at it; that needs each such store's retainer count.
  BigArray<NodeIndex> elements_of;

  uint64_t native = g.extra_native_bytes;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    const int type = g.node_type[n];
    const uint64_t size = self_sizes[n];
    if (type == g.node_types.hidden) {
      s.system += size;
    } else if (type == g.node_types.native) {
      native += size;
      if (name_is(g.node_name[n], array_buffer_data, "system / JSArrayBufferData")) s.typed_arrays += size;
    } else if (type == g.node_types.code) {
      s.code += size;
    } else if (type == g.node_types.string || type == g.node_types.cons_string || type == g.node_types.sliced_string) {
      s.strings += size;
    } else if (name_is(g.node_name[n], array_name, "Array")) {
      s.js_arrays += size;
      NodeIndex elements = NodeIndex::none();
      for (EdgeIndex e : g.edges_of(n)) {
        if (g.edge_type_of(e) == g.edge_types.internal && name_is(g.edge_name[e], elements_name, "elements")) {
          elements = g.edge_target(e);
          break;
        }
      }
      if (!elements.is_none()) {
        elements_of.push_back(elements);
      }
    }
  }
  if (!elements_of.empty()) {
    // Whether each elements store has one retainer or more (all edge types
    // count): two bits a node, not a count, since the stores are spread over
    // the whole graph and a counter each would touch most of a column's pages.
    BitArray wanted(g.node_count), retained_once(g.node_count), retained_more(g.node_count);
    for (NodeIndex t : elements_of) wanted.set(t);
    for (uint32_t e = 0; e < g.edge_count; ++e) {
      const NodeIndex t = g.edge_target(e);
      if (!wanted[t]) continue;
      if (retained_once[t]) {
        retained_more.set(t);
      } else {
        retained_once.set(t);
      }
    }
    for (NodeIndex t : elements_of)
      if (retained_once[t] && !retained_more[t]) s.js_arrays += self_sizes[t];
  }

  s.total = tree.retained[g.root] + g.extra_native_bytes;
  s.native_total = native;
  s.v8heap_total = s.total - native;
  return s;
}

}  // namespace heapwise
