// DOM attachment state (DevTools' propagateDOMState): detachedness spreads
// from embedder (native) nodes that know their state to the native nodes
// they reach; detached ones are renamed "Detached <name>".
#pragma once

#include <unordered_map>

#include "analysis/name_table.h"
#include "graph/heap_graph.h"

namespace heapwise {

enum class DomLinkState : uint8_t { kUnknown = 0, kAttached = 1, kDetached = 2 };

struct DomState {
  BigArray<uint8_t> state;                          // DomLinkState per node; empty: all unknown
  std::unordered_map<NodeIndex, uint32_t> renamed;  // node -> NameTable index
  uint32_t name_of(const HeapGraph& g, NodeIndex n) const {
    if (renamed.empty()) return g.node_name[n];
    auto it = renamed.find(n);
    return it == renamed.end() ? g.node_name[n] : it->second;
  }
};

DomState compute_dom_state(const HeapGraph& g, NameTable& names);

}  // namespace heapwise
