// Lengauer–Tarjan ("simple" eval/link with path compression), following
// DevTools step by step so that even the corner cases (orphans, cycles
// unreachable from the root) come out the same.
#include "analysis/dominators.h"

#include <vector>

namespace heapwise {

namespace {

// The bit vector of edges that count for dominators.
BigArray<uint64_t> essential_edges(const HeapGraph& g, const BigArray<uint8_t>& page_owned,
                                   WeakMapEdgeNames& weakmap_names) {
  BigArray<uint64_t> bits((g.edge_count + 63) / 64);
  const int weak = g.edge_types.weak, shortcut = g.edge_types.shortcut, internal = g.edge_types.internal;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    const bool is_root = n == g.root;
    const bool owned = page_owned[n];
    for (EdgeIndex e : g.edges_of(n)) {
      int type = g.edge_type_of(e);
      if (type == weak) continue;
      NodeIndex t = g.edge_target(e);
      if (t == n) continue;
      if (!is_root) {
        if (type == shortcut) continue;
        if (page_owned[t] && !owned) continue;
      }
      if (type == internal) {
        // A WeakMap value is held by its key and its table together; keep the key's edge.
        const WeakMapEdgeName* m = weakmap_names.get(g.edge_name[e]);
        if (m && m->table_id && *m->table_id == g.node_id[n]) continue;
      }
      bits[e >> 6] |= uint64_t{1} << (e & 63);
    }
  }
  return bits;
}

}  // namespace

DominatorTree compute_dominators(const HeapGraph& g, const BigArray<uint8_t>& page_owned,
                                 WeakMapEdgeNames& weakmap_names) {
  const uint32_t N = g.node_count;
  BigArray<uint64_t> essential = essential_edges(g, page_owned, weakmap_names);
  auto is_essential = [&](uint32_t e) { return (essential[e >> 6] >> (e & 63)) & 1; };

  // Predecessors over essential edges, as vertex numbers (ordinal + 1).
  BigArray<uint32_t> pred_first(N + 2);
  for (uint32_t e = 0; e < g.edge_count; ++e)
    if (is_essential(e)) ++pred_first[g.edge_target(e) + 2];
  for (uint32_t i = 2; i < N + 2; ++i) pred_first[i] += pred_first[i - 1];
  BigArray<uint32_t> preds(pred_first[N + 1]);
  for (NodeIndex n = 0; n < N; ++n)
    for (EdgeIndex e : g.edges_of(n))
      if (is_essential(e)) preds[pred_first[g.edge_target(e) + 1]++] = n + 1;
  // Now preds of ordinal v are [pred_first[v], pred_first[v+1]).

  // 1-based vertex numbers; 0 means "none", as in the paper.
  const size_t L = static_cast<size_t>(N) + 1;
  // The numbers the algorithm keeps per vertex sit side by side: eval reads
  // a vertex's semi, label and ancestor together, at random places of the
  // graph, so one cache miss brings all three where separate columns cost
  // three (the dominator tree is the longest phase of an analysis).
  // `ancestor` first holds the DFS tree parent: a vertex's entry only
  // changes once it is linked into the forest, after its parent was read,
  // and the `linked` bits say what the paper's "ancestor != 0" said (no
  // parent column at the moment of peak memory).
  struct VertexState {
    uint32_t semi, label, ancestor, dom;
  };
  BigArray<VertexState> V(L);
  BigArray<uint32_t> vertex(L), next_edge(L);
  BigArray<uint64_t> linked_bits((L + 63) / 64);
  auto linked = [&](uint32_t v) { return (linked_bits[v >> 6] >> (v & 63)) & 1; };
  uint32_t n = 0;

  auto dfs = [&](uint32_t root) {
    next_edge[root - 1] = g.first_edge[root - 1];
    uint32_t v = root;
    while (v != 0) {
      if (V[v].semi == 0) {
        V[v].semi = ++n;
        vertex[n] = V[v].label = v;
      }
      uint32_t v_next = V[v].ancestor;
      const uint32_t vo = v - 1;
      for (; next_edge[vo] < g.first_edge[vo + 1]; ++next_edge[vo]) {
        uint32_t e = next_edge[vo];
        if (!is_essential(e)) continue;
        uint32_t w = g.edge_target(e) + 1;
        if (V[w].semi == 0) {
          V[w].ancestor = v;
          next_edge[w - 1] = g.first_edge[w - 1];
          v_next = w;
          break;
        }
      }
      v = v_next;
    }
  };

  const uint32_t r = g.root + 1;
  dfs(r);
  if (n < N) {
    // Orphans (nodes with no counted retainer) and what they reach hang under the root.
    for (uint32_t v = 1; v <= N; ++v) {
      if (V[v].semi == 0 && pred_first[v - 1] == pred_first[v]) {
        V[v].ancestor = r;
        dfs(v);
      }
    }
  }
  // Cycles no orphan reaches (root -weak-> A, A <-> B): each node
  // individually under the root, as DevTools puts them. Their retainers are
  // each other, never the root's tree, so they count as orphans below too.
  BigArray<uint64_t> under_root_bits;
  if (n < N) {
    under_root_bits.resize((L + 63) / 64);
    for (uint32_t v = 1; v <= N; ++v) {
      if (V[v].semi == 0) {
        V[v].ancestor = r;
        V[v].semi = ++n;
        vertex[n] = V[v].label = v;
        under_root_bits[v >> 6] |= uint64_t{1} << (v & 63);
      }
    }
  }
  auto under_root = [&](uint32_t v) { return !under_root_bits.empty() && ((under_root_bits[v >> 6] >> (v & 63)) & 1); };

  // next_edge is free now: reuse it for the bucket lists. The bucket heads
  // live in the vertices' `dom`: bucket(p) is filled and emptied (by p's
  // children) before p itself is processed, and V[p].dom is only written
  // after that, so each slot serves one purpose at a time. That saves a whole column at the
  // moment of peak memory.
  BigArray<uint32_t>& bucket_next = next_edge;
  bucket_next.fill(0);
  std::vector<uint32_t> stack;  // compression paths are short after the first few

  auto compress = [&](uint32_t v) {
    while (linked(V[v].ancestor)) {
      stack.push_back(v);
      v = V[v].ancestor;
    }
    while (!stack.empty()) {
      uint32_t w = stack.back();
      stack.pop_back();
      if (V[V[V[w].ancestor].label].semi < V[V[w].label].semi) V[w].label = V[V[w].ancestor].label;
      V[w].ancestor = V[V[w].ancestor].ancestor;
    }
  };
  auto eval = [&](uint32_t v) {
    if (!linked(v)) return v;
    compress(v);
    return V[v].label;
  };

  for (uint32_t i = n; i >= 2; --i) {
    const uint32_t w = vertex[i];
    const uint32_t wo = w - 1;
    if (pred_first[wo] == pred_first[wo + 1] || under_root(w)) {
      V[w].semi = V[r].semi;  // an orphan: its only predecessor is the root
    } else {
      for (uint32_t k = pred_first[wo]; k < pred_first[wo + 1]; ++k) {
        uint32_t u = eval(preds[k]);
        if (V[u].semi < V[w].semi) V[w].semi = V[u].semi;
      }
    }
    const uint32_t b = vertex[V[w].semi];
    bucket_next[w] = V[b].dom;
    V[b].dom = w;
    const uint32_t p = V[w].ancestor;                // the DFS parent, as w is not linked yet
    linked_bits[w >> 6] |= uint64_t{1} << (w & 63);  // link(p, w)
    for (uint32_t v = V[p].dom; v != 0; v = bucket_next[v]) {
      uint32_t u = eval(v);
      V[v].dom = V[u].semi < V[v].semi ? u : p;
    }
    V[p].dom = 0;
  }
  // Free what is no longer needed before the results are allocated: this
  // phase sets the peak memory of a whole analysis.
  preds.clear();
  pred_first.clear();
  linked_bits.clear();
  under_root_bits.clear();
  bucket_next.clear();
  stack = {};

  V[0].dom = V[r].dom = r;
  for (uint32_t i = 2; i <= n; ++i) {
    uint32_t w = vertex[i];
    if (V[w].dom != vertex[V[w].semi]) V[w].dom = V[V[w].dom].dom;
  }

  DominatorTree tree;
  tree.idom.resize(N);
  for (uint32_t o = 0; o < N; ++o) tree.idom[o] = V[o + 1].dom - 1;
  V.clear();
  // Keep the DFS order: children come after their dominator in it, so one
  // backwards pass sums retained sizes.
  tree.order.resize(n > 0 ? n - 1 : 0);
  for (uint32_t i = 2; i <= n; ++i) tree.order[i - 2] = vertex[i] - 1;
  return tree;
}

void compute_retained_sizes(const HeapGraph& g, DominatorTree& tree, const SizeColumn& self_sizes) {
  const uint32_t N = g.node_count;
  tree.retained.resize(N);
  for (uint32_t o = 0; o < N; ++o) tree.retained[o] = self_sizes[o];
  for (size_t i = tree.order.size(); i-- > 0;) {
    uint32_t o = tree.order[i];
    tree.retained[tree.idom[o]] += tree.retained[o];
  }
  tree.order.clear();
}

void build_dominator_children(const HeapGraph& g, DominatorTree& tree) {
  const uint32_t N = g.node_count;
  tree.first_child.resize(N + 2);
  tree.first_child.fill(0);
  for (uint32_t o = 0; o < N; ++o)
    if (o != g.root) ++tree.first_child[tree.idom[o] + 2];
  for (uint32_t i = 2; i < N + 2; ++i) tree.first_child[i] += tree.first_child[i - 1];
  tree.children.resize(N > 0 ? N - 1 : 0);
  for (uint32_t o = 0; o < N; ++o)
    if (o != g.root) tree.children[tree.first_child[tree.idom[o] + 1]++] = o;
  tree.first_child.resize(N + 1);
}

}  // namespace heapwise
