// Distances (see distances.h). The edge filter reproduces DevTools' rules and
// is consulted, as there, only for edges into not-yet-reached nodes: the
// WeakMap pairing depends on that order.
#include "analysis/distances.h"

#include <cmath>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analysis/js_text.h"
#include "analysis/roots.h"

namespace heapwise {

namespace {

class DistanceEdgeFilter {
 public:
  DistanceEdgeFilter(const HeapGraph& g, WeakMapEdgeNames& names) : g_(g), names_(names) {}

  bool operator()(NodeIndex node, EdgeIndex e) {
    int nt = g_.node_type[node];
    if (nt == g_.node_types.hidden && g_.edge_has_string_name(e) &&
        g_.strings[g_.edge_name[e]] == "sloppy_function_map" && g_.name(node) == "system / NativeContext")
      return false;
    if (nt == g_.node_types.array && g_.name(node) == "(map descriptors)") {
      // Descriptor arrays may be shared between maps: skip the descriptor links.
      std::optional<double> index = g_.edge_has_string_name(e) ? js::parse_int(g_.strings[g_.edge_name[e]])
                                                               : std::optional<double>(g_.edge_name[e]);
      return !index || *index < 2 || std::fmod(*index, 3.0) != 1;
    }
    if (g_.edge_type_of(e) == g_.edge_types.internal) {
      // A WeakMap value has two edges (table and key); skip the first one seen.
      if (const WeakMapEdgeName* m = names_.get(g_.edge_name[e])) {
        if (!pending_.erase(m->duplicated_part)) {
          pending_.insert(m->duplicated_part);
          return false;
        }
      }
    }
    return true;
  }

 private:
  const HeapGraph& g_;
  WeakMapEdgeNames& names_;
  std::unordered_set<std::string_view> pending_;
};

void bfs(const HeapGraph& g, BigArray<NodeIndex>& queue, BigArray<int32_t>& dist, DistanceEdgeFilter& filter,
         const std::vector<uint8_t>* ignored) {
  const int weak = g.edge_types.weak;
  for (size_t head = 0; head < queue.size(); ++head) {
    NodeIndex n = queue[head];
    int32_t d = dist[n] + 1;
    for (EdgeIndex e : g.edges_of(n)) {
      if (g.edge_type_of(e) == weak) continue;
      NodeIndex t = g.edge_target(e);
      if (dist[t] != kNoDistance) continue;
      if (ignored && (*ignored)[t]) continue;
      if (!filter(n, e)) continue;
      dist[t] = d;
      queue.push_back(t);
    }
  }
}

}  // namespace

BigArray<int32_t> compute_distances(const HeapGraph& g, WeakMapEdgeNames& weakmap_names,
                                    const std::vector<uint8_t>* ignored) {
  BigArray<int32_t> dist(g.node_count);
  dist.fill(kNoDistance);
  DistanceEdgeFilter filter(g, weakmap_names);
  BigArray<NodeIndex> queue;  // address space for every node; only what is queued is touched
  queue.reserve(g.node_count);
  for (EdgeIndex e : g.edges_of(g.root)) {
    NodeIndex t = g.edge_target(e);
    // Once per node: a root listing the same node many times would make the
    // walk visit its edges again each time (DevTools does; the distances are the same).
    if (is_user_root_node(g, t) && dist[t] == kNoDistance && !(ignored && (*ignored)[t])) {
      dist[t] = 1;
      queue.push_back(t);
    }
  }
  bool had_user_roots = !queue.empty();
  bfs(g, queue, dist, filter, ignored);
  dist[g.root] = had_user_roots ? kBaseSystemDistance : 0;
  queue.clear();
  queue.push_back(g.root);
  bfs(g, queue, dist, filter, ignored);
  return dist;
}

}  // namespace heapwise
