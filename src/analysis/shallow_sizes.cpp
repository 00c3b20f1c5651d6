// Shallow-size reattribution (see shallow_sizes.h).
#include "analysis/shallow_sizes.h"

#include <vector>

#include "analysis/roots.h"

namespace heapwise {

bool has_user_roots(const HeapGraph& g) {
  for (EdgeIndex e : g.edges_of(g.root))
    if (is_user_root_node(g, g.edge_target(e))) return true;
  return false;
}

SizeColumn compute_shown_self_sizes(const HeapGraph& g) {
  const uint32_t n = g.node_count;
  SizeColumn sizes(n);
  for (NodeIndex i = 0; i < n; ++i) sizes.set(i, g.raw_self_size(i));
  if (!has_user_roots(g)) return sizes;

  constexpr uint32_t kUnvisited = 0xffffffffu, kMultiple = 0xfffffffeu;
  BigArray<uint32_t> owners(n);
  std::vector<NodeIndex> worklist;
  for (NodeIndex i = 0; i < n; ++i) {
    int t = g.node_type[i];
    if (t == g.node_types.hidden || t == g.node_types.array ||
        (t == g.node_types.native && g.name(i) == "system / ExternalStringData")) {
      owners[i] = kUnvisited;
    } else {
      owners[i] = i;  // owns itself
      worklist.push_back(i);
    }
  }
  while (!worklist.empty()) {
    NodeIndex id = worklist.back();
    worklist.pop_back();
    uint32_t owner = owners[id];
    for (EdgeIndex e : g.edges_of(id)) {
      if (g.edge_type_of(e) == g.edge_types.weak) continue;
      NodeIndex t = g.edge_target(e);
      uint32_t cur = owners[t];
      if (cur == kUnvisited) {
        owners[t] = owner;
        worklist.push_back(t);
      } else if (cur != t && cur != owner && cur != kMultiple) {
        // Each node enters the worklist at most twice: once owned, once shared.
        owners[t] = kMultiple;
        worklist.push_back(t);
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
