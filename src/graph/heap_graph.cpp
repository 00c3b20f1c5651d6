// HeapGraph lookups that are more than an array access.
#include "graph/heap_graph.h"

#include <algorithm>

namespace heapwise {

const Location* HeapGraph::location_of(NodeIndex n) const {
  auto it = std::lower_bound(locations.begin(), locations.end(), n,
                             [](const Location& l, NodeIndex v) { return l.node < v; });
  return it != locations.end() && it->node == n ? &*it : nullptr;
}

NodeIndex HeapGraph::edge_owner(EdgeIndex e) const {
  const uint32_t* b = first_edge.data();
  const uint32_t* it = std::upper_bound(b, b + node_count + 1, e);
  return static_cast<NodeIndex>(it - b - 1);
}

size_t HeapGraph::memory_bytes() const {
  return node_type.bytes() + node_name.bytes() + node_id.bytes() + raw_self_sizes.bytes() + first_edge.bytes() +
         trace_node_id.bytes() + detachedness.bytes() + edge_name.bytes() + edge_to.bytes() + strings.memory_bytes() +
         locations.size() * sizeof(Location) + trace_nodes.capacity() * sizeof(TraceNode);
}

}  // namespace heapwise
