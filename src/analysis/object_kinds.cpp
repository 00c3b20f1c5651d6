// Kinds of objects (see object_kinds.h).
#include "analysis/object_kinds.h"

namespace heapwise {

bool is_map_or_set(const Snapshot& s, NodeIndex n) {
  const std::string_view c = s.class_name(n);
  return s.graph().node_type[n] == s.graph().node_types.object && (c == "Map" || c == "Set");
}

bool is_array(const Snapshot& s, NodeIndex n) {
  return s.graph().node_type[n] == s.graph().node_types.object && s.class_name(n) == "Array";
}

uint32_t property_count(const Snapshot& s, NodeIndex n, uint32_t stop_at) {
  const HeapGraph& g = s.graph();
  uint32_t count = 0;
  for (EdgeIndex e : g.edges_of(n))
    if (g.edge_type_of(e) == g.edge_types.property && g.strings[g.edge_name[e]] != "__proto__" && ++count >= stop_at)
      break;
  return count;
}

bool is_dictionary_object(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  if (g.node_type[n] != g.node_types.object || g.edges_of(n).size() <= kDictionaryProperties ||
      s.class_name(n) != "Object")
    return false;
  // Counts only as far as the threshold: paths ask this of every step.
  return property_count(s, n, kDictionaryProperties + 1) > kDictionaryProperties;
}

}  // namespace heapwise
