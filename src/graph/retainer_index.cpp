// Reverse edge index (see retainer_index.h).
#include "graph/retainer_index.h"

namespace heapwise {

RetainerIndex::RetainerIndex(const HeapGraph& g) {
  const uint32_t N = g.node_count;
  first_.resize(N + 2);
  for (EdgeIndex e = 0; e < g.edge_count; ++e) ++first_[g.edge_target(e) + 2];
  for (uint32_t i = 2; i < N + 2; ++i) first_[i] += first_[i - 1];
  edges_.resize(g.edge_count);
  owners_.resize(g.edge_count);
  for (NodeIndex n = 0; n < N; ++n)
    for (EdgeIndex e : g.edges_of(n)) {
      uint32_t slot = first_[g.edge_target(e) + 1]++;
      edges_[slot] = e;
      owners_[slot] = n;
    }
  first_.resize(N + 1);
}

}  // namespace heapwise
