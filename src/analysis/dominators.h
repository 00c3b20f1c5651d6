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

#include <functional>

#include "analysis/weakmap_edges.h"
#include "graph/heap_graph.h"
#include "graph/size_column.h"
#include "util/bit_array.h"

namespace heapwise {

// What the dominator pass leaves: the tree as a parent per node.
struct ImmediateDominators {
  BigArray<uint32_t> idom;   // immediate dominator per node (root: itself)
  BigArray<uint32_t> order;  // reachable nodes but the root, dominators first
};

// The tree as the analyses read it: children by dominator and retained
// sizes. A node's own dominator is read back from the children when asked
// (immediate_dominators): a summary never asks, and at the moment of the
// analysis's peak memory a column less counts.
struct DominatorTree {
  SizeColumn retained;             // retained size per node
  BigArray<uint32_t> first_child;  // node_count+1
  BigArray<uint32_t> children;     // a node's children in ascending node order
};

// `before_peak`, when given, is called before the pass takes the most
// memory it will hold (the predecessor lists): a caller running other work
// beside it can wait there for that work to end, so that the two peaks do
// not add up.
ImmediateDominators compute_dominators(const HeapGraph& g, const BitArray& page_owned, WeakMapEdgeNames& weakmap_names,
                                       const std::function<void()>& before_peak = {});

// The size of each node's children list (two steps: this needs no self
// sizes, so it can run beside the pass that computes them).
BigArray<uint32_t> count_dominator_children(const HeapGraph& g, const ImmediateDominators& doms);

// Retained size = own (shown) size + retained sizes of the dominated nodes,
// and the children lists. Consumes `doms`: the children take the order's memory.
DominatorTree build_dominator_tree(const HeapGraph& g, ImmediateDominators doms, BigArray<uint32_t> child_counts,
                                   const SizeColumn& self_sizes);

// Every node's immediate dominator (the root's: itself), from the children lists.
BigArray<uint32_t> immediate_dominators(const HeapGraph& g, const DominatorTree& tree);

}  // namespace heapwise
