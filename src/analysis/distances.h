// Distances from the roots, as DevTools' JSHeapSnapshot.calculateDistances:
// BFS from the user roots (distance 1), then from the root; nodes reached
// only through non-user roots get kBaseSystemDistance + depth, unreachable
// ones kNoDistance.
#pragma once

#include <vector>

#include "analysis/weakmap_edges.h"
#include "graph/heap_graph.h"

namespace heapwise {

constexpr int32_t kNoDistance = -5;
constexpr int32_t kBaseSystemDistance = 100000000;

// With `ignored` (a flag per node), those nodes are never entered: the
// distances DevTools computes for its retainers view when the user ignores
// some retainers (ignoreNodeInRetainersView), so other paths come first.
BigArray<int32_t> compute_distances(const HeapGraph& g, WeakMapEdgeNames& weakmap_names,
                                    const std::vector<uint8_t>* ignored = nullptr);

}  // namespace heapwise
