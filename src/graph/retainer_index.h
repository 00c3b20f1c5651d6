// RetainerIndex: the reverse of the graph's edges (who points at a node),
// as a CSR built in two passes. Built on demand: only the commands that walk
// retainers pay its 4 bytes per edge.
#pragma once

#include "graph/heap_graph.h"

namespace heapwise {

class RetainerIndex {
 public:
  explicit RetainerIndex(const HeapGraph& g);
  // Retaining edges of node n: edge indices, in the order of their owners.
  uint32_t begin(NodeIndex n) const { return first_[n]; }
  uint32_t end(NodeIndex n) const { return first_[n + 1]; }
  EdgeIndex edge(uint32_t i) const { return edges_[i]; }
  NodeIndex owner(uint32_t i) const { return owners_[i]; }
  uint32_t count(NodeIndex n) const { return first_[n + 1] - first_[n]; }

 private:
  BigArray<uint32_t> first_;   // node_count + 1
  BigArray<uint32_t> edges_;   // edge index per retainer slot
  BigArray<uint32_t> owners_;  // the node owning that edge
};

}  // namespace heapwise
