// Distances from the roots, as DevTools' JSHeapSnapshot.calculateDistances:
// BFS from the user roots (distance 1), then from the root; nodes reached
// only through non-user roots get kBaseSystemDistance + depth, unreachable
// ones kNoDistance.
#pragma once

#include "analysis/weakmap_edges.h"
#include "graph/heap_graph.h"

namespace heapwise {

constexpr int32_t kNoDistance = -5;
constexpr int32_t kBaseSystemDistance = 100000000;

BigArray<int32_t> compute_distances(const HeapGraph& g, WeakMapEdgeNames& weakmap_names);

}  // namespace heapwise
