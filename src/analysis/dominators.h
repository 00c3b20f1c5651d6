// The dominator tree and retained sizes, as DevTools computes them
// (initEssentialEdges + Lengauer–Tarjan in calculateDominatorsAndRetainedSizes;
// the tree is the same by Semi-NCA, see dominators.cpp).
//
// Which edges count: not weak edges, self edges, shortcut edges other than
// the root's, the WeakMap table -> value edge, nor any edge from a node that
// is not page-owned into a page-owned one. Nodes unreachable over the
// remaining edges hang under the root. The algorithm is iterative
// (no recursion over the graph); its semi-dominators take O(E log N).
#pragma once

#include "analysis/weakmap_edges.h"
#include "graph/heap_graph.h"
#include "graph/size_column.h"
#include "util/bit_array.h"

namespace heapwise {

struct DominatorTree {
  BigArray<uint32_t> idom;      // immediate dominator per node (root: itself)
  BigArray<uint64_t> retained;  // retained size per node (compute_retained_sizes)
  BigArray<uint32_t> order;     // reachable nodes but the root, dominators first (until retained sizes)
  // Children lists (built on demand by build_children).
  BigArray<uint32_t> first_child;  // node_count+1
  BigArray<uint32_t> children;
};

DominatorTree compute_dominators(const HeapGraph& g, const BitArray& page_owned, WeakMapEdgeNames& weakmap_names);

// Retained size = own (shown) size + retained sizes of the dominated nodes.
void compute_retained_sizes(const HeapGraph& g, DominatorTree& tree, const SizeColumn& self_sizes);

// Fills first_child/children (children of a node in ascending node order).
void build_dominator_children(const HeapGraph& g, DominatorTree& tree);

}  // namespace heapwise
