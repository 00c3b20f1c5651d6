// Lengauer–Tarjan ("simple" eval/link with path compression), following
// DevTools step by step so that even the corner cases (orphans, cycles
// unreachable from the root) come out the same.
#include "analysis/dominators.h"

#include <vector>

namespace heapwise {

namespace {

// The bit vector of edges that count for dominators.
std::vector<uint64_t> essential_edges(const HeapGraph& g, const BigArray<uint8_t>& page_owned,
                                      WeakMapEdgeNames& weakmap_names) {
  std::vector<uint64_t> bits((g.edge_count + 63) / 64, 0);
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
  std::vector<uint64_t> essential = essential_edges(g, page_owned, weakmap_names);
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
  // ancestor[] first holds the DFS tree parent: a vertex's entry only
  // changes once it is linked into the forest, after its parent was read,
  // and the `linked` bits say what the paper's "ancestor != 0" said. One
  // column less at the moment of peak memory.
  BigArray<uint32_t> ancestor(L), vertex(L), label(L), semi(L), dom(L), next_edge(L);
  std::vector<uint64_t> linked_bits((L + 63) / 64, 0);
  auto linked = [&](uint32_t v) { return (linked_bits[v >> 6] >> (v & 63)) & 1; };
  uint32_t n = 0;

  auto dfs = [&](uint32_t root) {
    next_edge[root - 1] = g.first_edge[root - 1];
    uint32_t v = root;
    while (v != 0) {
      if (semi[v] == 0) {
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
      uint32_t v_next = ancestor[v];
      const uint32_t vo = v - 1;
      for (; next_edge[vo] < g.first_edge[vo + 1]; ++next_edge[vo]) {
        uint32_t e = next_edge[vo];
        if (!is_essential(e)) continue;
        uint32_t w = g.edge_target(e) + 1;
        if (semi[w] == 0) {
          ancestor[w] = v;
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
      if (semi[v] == 0 && pred_first[v - 1] == pred_first[v]) {
        ancestor[v] = r;
        dfs(v);
      }
    }
  }
  // Cycles no orphan reaches (root -weak-> A, A <-> B): each node
  // individually under the root, as DevTools puts them. Their retainers are
  // each other, never the root's tree, so they count as orphans below too.
  std::vector<uint64_t> under_root_bits;
  if (n < N) {
    under_root_bits.assign((L + 63) / 64, 0);
    for (uint32_t v = 1; v <= N; ++v) {
      if (semi[v] == 0) {
        ancestor[v] = r;
        semi[v] = ++n;
        vertex[n] = label[v] = v;
        under_root_bits[v >> 6] |= uint64_t{1} << (v & 63);
      }
    }
  }
  auto under_root = [&](uint32_t v) { return !under_root_bits.empty() && ((under_root_bits[v >> 6] >> (v & 63)) & 1); };

  // next_edge is free now: reuse it for the bucket lists. The bucket heads
  // live in dom[]: bucket(p) is filled and emptied (by p's children) before
  // p itself is processed, and dom[p] is only written after that, so each
  // slot serves one purpose at a time. That saves a whole column at the
  // moment of peak memory.
  BigArray<uint32_t>& bucket_next = next_edge;
  bucket_next.fill(0);
  BigArray<uint32_t>& bucket_head = dom;
  std::vector<uint32_t> stack;  // compression paths are short after the first few

  auto compress = [&](uint32_t v) {
    while (linked(ancestor[v])) {
      stack.push_back(v);
      v = ancestor[v];
    }
    while (!stack.empty()) {
      uint32_t w = stack.back();
      stack.pop_back();
      if (semi[label[ancestor[w]]] < semi[label[w]]) label[w] = label[ancestor[w]];
      ancestor[w] = ancestor[ancestor[w]];
    }
  };
  auto eval = [&](uint32_t v) {
    if (!linked(v)) return v;
    compress(v);
    return label[v];
  };

  for (uint32_t i = n; i >= 2; --i) {
    const uint32_t w = vertex[i];
    const uint32_t wo = w - 1;
    if (pred_first[wo] == pred_first[wo + 1] || under_root(w)) {
      semi[w] = semi[r];  // an orphan: its only predecessor is the root
    } else {
      for (uint32_t k = pred_first[wo]; k < pred_first[wo + 1]; ++k) {
        uint32_t u = eval(preds[k]);
        if (semi[u] < semi[w]) semi[w] = semi[u];
      }
    }
    const uint32_t b = vertex[semi[w]];
    bucket_next[w] = bucket_head[b];
    bucket_head[b] = w;
    const uint32_t p = ancestor[w];                  // the DFS parent, as w is not linked yet
    linked_bits[w >> 6] |= uint64_t{1} << (w & 63);  // link(p, w)
    for (uint32_t v = bucket_head[p]; v != 0; v = bucket_next[v]) {
      uint32_t u = eval(v);
      dom[v] = semi[u] < semi[v] ? u : p;
    }
    bucket_head[p] = 0;
  }
  // Free what is no longer needed before the results are allocated: this
  // phase sets the peak memory of a whole analysis.
  preds.clear();
  pred_first.clear();
  ancestor.clear();
  linked_bits = {};
  under_root_bits = {};
  label.clear();
  bucket_next.clear();
  stack = {};

  dom[0] = dom[r] = r;
  for (uint32_t i = 2; i <= n; ++i) {
    uint32_t w = vertex[i];
    if (dom[w] != vertex[semi[w]]) dom[w] = dom[dom[w]];
  }
  semi.clear();

  DominatorTree tree;
  tree.idom.resize(N);
  for (uint32_t o = 0; o < N; ++o) tree.idom[o] = dom[o + 1] - 1;
  dom.clear();
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
