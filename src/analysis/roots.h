// Which of the root's children DevTools treats as user roots (the globals a
// page or a Node.js program owns), and which nodes are page-owned.
#pragma once

#include "graph/heap_graph.h"
#include "util/bit_array.h"

namespace heapwise {

// JSHeapSnapshot.isUserRoot: non-synthetic nodes and "(Document DOM trees)".
bool is_user_root_node(const HeapGraph& g, NodeIndex n);

// markPageOwnedNodes: set for nodes reachable over non-weak edges from the
// root's shortcut children (Node's `global`) or from "(Document DOM trees)".
BitArray compute_page_owned(const HeapGraph& g);

}  // namespace heapwise
