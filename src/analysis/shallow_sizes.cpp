// Shallow-size reattribution (see shallow_sizes.h).
#include "analysis/shallow_sizes.h"

#include "analysis/roots.h"

namespace heapwise {

bool has_user_roots(const HeapGraph& g) {
  for (EdgeIndex e : g.edges_of(g.root))
    if (is_user_root_node(g, g.edge_target(e))) return true;
  return false;
}

SizeColumn compute_shown_self_sizes(const HeapGraph& g) {
  const uint32_t n = g.node_count;
  SizeColumn sizes = g.raw_self_sizes.copy();
  if (!has_user_roots(g)) return sizes;

  constexpr uint32_t kUnvisited = 0xffffffffu, kMultiple = 0xfffffffeu;
  BigArray<uint32_t> owners(n);
  for (NodeIndex i = 0; i < n; ++i) {
    int t = g.node_type[i];
    const bool owned = t == g.node_types.hidden || t == g.node_types.array ||
                       (t == g.node_types.native && g.name(i) == "system / ExternalStringData");
    owners[i] = owned ? kUnvisited : static_cast<uint32_t>(i);  // others own themselves
  }
  // Each owner hands itself down to the nodes it reaches through owned
  // ones; a node reached from two owners is shared. The result does not
  // depend on the order the owners go in (a node only moves from unvisited
  // to one owner to shared), so they go one at a time, each with a stack of
  // the owned nodes it reaches: a worklist of every owner at once would
  // touch a word per node while the dominator tree holds its peak memory.
  BigArray<NodeIndex> stack;
  for (NodeIndex start = 0; start < n; ++start) {
    if (owners[start] != start) continue;
    stack.push_back(start);
    while (!stack.empty()) {
      NodeIndex id = stack.back();
      stack.pop_back();
      uint32_t owner = owners[id];
      for (EdgeIndex e : g.edges_of(id)) {
        if (g.edge_type_of(e) == g.edge_types.weak) continue;
        NodeIndex t = g.edge_target(e);
        uint32_t cur = owners[t];
        if (cur == kUnvisited) {
          owners[t] = owner;
          stack.push_back(t);
        } else if (cur != t && cur != owner && cur != kMultiple) {
          // Each node is pushed at most twice: once owned, once shared.
          owners[t] = kMultiple;
          stack.push_back(t);
        }
      }
    }
  }
  for (NodeIndex i = 0; i < n; ++i) {
    uint32_t owner = owners[i];
    if (owner == kUnvisited || owner == kMultiple || owner == i) continue;
    if (g.node_type[owner] == g.node_types.synthetic || owner == g.root) continue;  // not useful there
    sizes.set(owner, sizes[owner] + sizes[i]);
    sizes.set(i, 0);
  }
  return sizes;
}

}  // namespace heapwise
