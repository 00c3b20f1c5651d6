// User roots and page ownership (see roots.h).
#include "analysis/roots.h"

namespace heapwise {

namespace {
bool is_document_dom_trees_root(const HeapGraph& g, NodeIndex n) {
  return g.node_type[n] == g.node_types.synthetic && g.name(n) == "(Document DOM trees)";
}
}  // namespace

bool is_user_root_node(const HeapGraph& g, NodeIndex n) {
  return g.node_type[n] != g.node_types.synthetic || is_document_dom_trees_root(g, n);
}

BitArray compute_page_owned(const HeapGraph& g) {
  BitArray owned(g.node_count);
  BigArray<NodeIndex> stack;
  for (EdgeIndex e : g.edges_of(g.root)) {
    NodeIndex t = g.edge_target(e);
    int type = g.edge_type_of(e);
    if (type == g.edge_types.element) {
      if (!is_document_dom_trees_root(g, t)) continue;
    } else if (type != g.edge_types.shortcut) {
      continue;
    }
    stack.push_back(t);
    owned.set(t);
  }
  while (!stack.empty()) {
    NodeIndex n = stack.back();
    stack.pop_back();
    for (EdgeIndex e : g.edges_of(n)) {
      NodeIndex t = g.edge_target(e);
      if (owned[t] || g.edge_type_of(e) == g.edge_types.weak) continue;
      owned.set(t);
      stack.push_back(t);
    }
  }
  return owned;
}

}  // namespace heapwise
