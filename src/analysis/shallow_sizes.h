// Shallow-size reattribution (DevTools' JSHeapSnapshot.calculateShallowSizes):
// `hidden` and `array` nodes (and native ExternalStringData) owned by exactly
// one other node have their size moved onto that owner. DevTools shows and
// sums the moved sizes everywhere, so every later analysis uses them.
#pragma once

#include "graph/heap_graph.h"
#include "graph/size_column.h"

namespace heapwise {

// True when the root has a user root (e.g. Node's `global`); without one the
// snapshot exposes internals and DevTools keeps the raw sizes.
bool has_user_roots(const HeapGraph& g);

// The self size of every node as DevTools shows it.
SizeColumn compute_shown_self_sizes(const HeapGraph& g);

}  // namespace heapwise
