// The ids of a snapshot as a set (see id_set.h).
#include "graph/id_set.h"

#include <algorithm>

namespace heapwise {

namespace {

// The bitmap covers ids up to 64 per node (8 bytes a node at most): a live
// heap's ids are about twice the objects V8 has numbered, so only a process
// whose objects were mostly freed long ago spills ids into the sorted list.
constexpr uint64_t kDenseIdsPerNode = 64;

}  // namespace

IdSet::IdSet(const HeapGraph& g) {
  const uint32_t* ids = g.node_id.data();
  uint32_t highest = 0;
  for (NodeIndex n = 0; n < g.node_count; ++n) highest = std::max(highest, ids[n]);
  dense_limit_ = std::min<uint64_t>(uint64_t{highest} + 1, kDenseIdsPerNode * (uint64_t{g.node_count} + 1));
  bits_ = BitArray(dense_limit_);
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    const uint32_t id = ids[n];
    if (id < dense_limit_)
      bits_.set(id);
    else
      sparse_.push_back(id);
  }
  std::sort(sparse_.begin(), sparse_.end());
}

bool IdSet::contains_sparse(uint32_t id) const { return std::binary_search(sparse_.begin(), sparse_.end(), id); }

double shared_id_fraction(const HeapGraph& before, const IdSet& after) {
  if (before.node_count == 0) return 1.0;
  uint64_t shared = 0;
  for (NodeIndex n = 0; n < before.node_count; ++n) shared += after.contains(before.node_id[n]);
  return static_cast<double>(shared) / before.node_count;
}

}  // namespace heapwise
