// IdSet: the V8 object ids of one snapshot, for "was this object there?"
// questions asked once per node of another snapshot (leaks, diff, the
// explorer's "new since" lists).
//
// V8 numbers the objects it tracks in steps of two, so a snapshot's ids are
// dense: a bit per possible id is a few bits per node, built in one pass and
// answered with one memory read. Embedder (native) nodes get hashed ids
// anywhere in 32 bits; the ids past the bitmap's end are kept sorted apart.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/heap_graph.h"
#include "util/bit_array.h"

namespace heapwise {

class IdSet {
 public:
  IdSet() = default;
  explicit IdSet(const HeapGraph& g);

  bool contains(uint32_t id) const {
    if (id < dense_limit_) return bits_[id];
    return contains_sparse(id);
  }

 private:
  bool contains_sparse(uint32_t id) const;

  uint64_t dense_limit_ = 0;  // ids below it are in bits_
  BitArray bits_;
  std::vector<uint32_t> sparse_;  // the other ids, sorted
};

// Fraction of `before`'s object ids that `after` still has: near 0 when the
// two snapshots are not of one process (or its ids were reset).
double shared_id_fraction(const HeapGraph& before, const IdSet& after);

}  // namespace heapwise
