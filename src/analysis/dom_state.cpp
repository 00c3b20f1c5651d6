// DOM state propagation, as DevTools' HeapSnapshot.propagateDOMState.
#include "analysis/dom_state.h"

namespace heapwise {

DomState compute_dom_state(const HeapGraph& g, NameTable& names) {
  DomState d;
  const uint32_t n = g.node_count;
  // `state` stays empty while every node's is unknown (all of a Node.js
  // heap's): a column of zeros would still cost its pages once read.
  auto set_state = [&](NodeIndex i, uint8_t s) {
    if (d.state.empty()) d.state.resize(n);
    d.state[i] = s;
  };
  if (!g.detachedness_in_file) {
    // Old snapshots: native objects named "Detached ..." are detached.
    for (NodeIndex i = 0; i < n; ++i)
      if (g.node_type[i] == g.node_types.native && g.name(i).substr(0, 9) == "Detached ")
        set_state(i, static_cast<uint8_t>(DomLinkState::kDetached));
    return d;
  }
  if (g.detachedness.empty()) return d;  // every value 0: nothing to propagate
  for (NodeIndex i = 0; i < n; ++i)
    if (const uint8_t state = g.detachedness[i] & 3) set_state(i, state);
  if (d.state.empty()) return d;

  BigArray<uint8_t> visited(n);
  BigArray<NodeIndex> attached, detached;
  std::unordered_map<uint32_t, uint32_t> renamed_index;  // old name -> "Detached old name"
  auto process = [&](NodeIndex i, uint8_t s) {
    if (visited[i]) return;
    visited[i] = 1;
    // Do not propagate through JavaScript: embedder nodes are native.
    if (g.node_type[i] != g.node_types.native) return;
    d.state[i] = s;  // the state is not empty here: a node has one set
    if (s == static_cast<uint8_t>(DomLinkState::kAttached)) {
      attached.push_back(i);
    } else if (s == static_cast<uint8_t>(DomLinkState::kDetached)) {
      uint32_t old = d.name_of(g, i);
      auto it = renamed_index.find(old);
      if (it == renamed_index.end())
        it = renamed_index.emplace(old, names.add("Detached " + std::string(names[old]))).first;
      d.renamed[i] = it->second;
      detached.push_back(i);
    }
  };
  auto propagate = [&](NodeIndex from, uint8_t s) {
    for (EdgeIndex e : g.edges_of(from)) {
      int t = g.edge_type_of(e);
      if (t == g.edge_types.hidden || t == g.edge_types.weak) continue;
      process(g.edge_target(e), s);
    }
  };
  for (NodeIndex i = 0; i < n; ++i)
    if (d.state[i] != 0) process(i, d.state[i]);
  while (!attached.empty()) {
    NodeIndex i = attached.back();
    attached.pop_back();
    propagate(i, static_cast<uint8_t>(DomLinkState::kAttached));
  }
  while (!detached.empty()) {
    NodeIndex i = detached.back();
    detached.pop_back();
    if (d.state[i] == static_cast<uint8_t>(DomLinkState::kAttached)) continue;
    propagate(i, static_cast<uint8_t>(DomLinkState::kDetached));
  }
  return d;
}

}  // namespace heapwise
