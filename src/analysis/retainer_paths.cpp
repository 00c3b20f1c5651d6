// Retainer paths (see retainer_paths.h).
#include "analysis/retainer_paths.h"

#include <algorithm>

#include "analysis/distances.h"
#include "analysis/weakmap_edges.h"

namespace heapwise {

int edge_preference(const HeapGraph& g, EdgeIndex e) {
  const int t = g.edge_type_of(e);
  if (t == g.edge_types.property || t == g.edge_types.element || t == g.edge_types.context) return 0;
  if (t == g.edge_types.shortcut) return 1;
  return 2;
}

bool is_closer_retainer(const Snapshot& s, NodeIndex u, NodeIndex v) {
  // User roots (distance 1) hang from the root, whose own distance is the system base.
  const int32_t d = s.distance(v);
  if (u == s.graph().root) return d == 1 || d == kBaseSystemDistance + 1;
  return u != v && s.distance(u) == d - 1;
}

bool is_path_edge(const Snapshot& s, NodeIndex owner, EdgeIndex e) {
  const HeapGraph& g = s.graph();
  if (g.edge_type_of(e) == g.edge_types.weak) return false;
  if (g.node_type[owner] == g.node_types.hidden && g.edge_has_string_name(e) &&
      g.strings[g.edge_name[e]] == "sloppy_function_map" && g.name(owner) == "system / NativeContext")
    return false;
  return true;
}

std::vector<RetainerPath> shortest_retainer_paths(const Snapshot& s, const RetainerIndex& retainers, NodeIndex target,
                                                  size_t k) {
  const HeapGraph& g = s.graph();
  std::vector<RetainerPath> paths;
  const int32_t target_distance = s.distance(target);
  if (k == 0 || target == g.root || target_distance == kNoDistance) return paths;

  // The parent of a step: retainers one step closer to the root.
  auto closer_retainers = [&](NodeIndex v) {
    std::vector<std::pair<NodeIndex, EdgeIndex>> out;
    for (uint32_t i = retainers.begin(v); i < retainers.end(v); ++i) {
      NodeIndex u = retainers.owner(i);
      EdgeIndex e = retainers.edge(i);
      if (is_closer_retainer(s, u, v) && is_path_edge(s, u, e)) out.emplace_back(u, e);
    }
    std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
      int pa = edge_preference(g, a.second), pb = edge_preference(g, b.second);
      if (pa != pb) return pa < pb;
      return g.node_id[a.first] < g.node_id[b.first];
    });
    return out;
  };

  // Depth-first over the shortest-path DAG from the target up to the root,
  // with an explicit stack: every branch reaches the root (distances strictly
  // fall), so the first k leaves are the k paths.
  struct Frame {
    NodeIndex node;
    std::vector<std::pair<NodeIndex, EdgeIndex>> options;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  std::vector<EdgeIndex> edges;  // edges[i] leads into stack[i].node (reversed path)
  stack.push_back({target, closer_retainers(target)});
  while (!stack.empty() && paths.size() < k) {
    Frame& f = stack.back();
    if (f.next == f.options.size()) {
      stack.pop_back();
      if (!edges.empty()) edges.pop_back();
      continue;
    }
    auto [u, e] = f.options[f.next++];
    if (u == g.root) {
      RetainerPath p;
      p.push_back(e);
      for (auto it = edges.rbegin(); it != edges.rend(); ++it) p.push_back(*it);
      paths.push_back(std::move(p));
      continue;
    }
    edges.push_back(e);
    stack.push_back({u, closer_retainers(u)});
  }
  return paths;
}

}  // namespace heapwise
