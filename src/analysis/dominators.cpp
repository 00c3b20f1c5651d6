// Semi-NCA (Lengauer–Tarjan's semi-dominators with "simple" path compression,
// then each immediate dominator by a climb of the tree built so far), with
// DevTools' rules for the corner cases (orphans, cycles unreachable from the
// root), so that they come out the same; after the depth-first search it
// works on DFS numbers, so its main loop walks memory in order.
#include "analysis/dominators.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

#include "util/bit_array.h"
#include "util/in_parallel.h"
#include "util/usable_cpus.h"

namespace heapwise {

namespace {

// How many cores share a pass over the edges or the vertices: one per
// 256 Ki edges (a few milliseconds of work, well over the cost of a thread),
// at most all.
size_t pass_threads(const HeapGraph& g) {
  constexpr size_t kLeastEdgesPerThread = size_t{1} << 18;
  return std::clamp<size_t>(g.edge_count / kLeastEdgesPerThread, 1, usable_cpus());
}

// The edges that count for dominators; `retained` gets a bit per vertex
// (ordinal + 1) that such an edge points to. The cores share the edges, cut
// at multiples of 64 so that no two threads write a word of the same bits;
// each marks the vertices its edges point to in bits of its own, merged at
// the end.
BitArray essential_edges(const HeapGraph& g, const BitArray& page_owned, WeakMapEdgeNames& weakmap_names,
                         BitArray& retained, size_t threads) {
  const size_t words = (static_cast<size_t>(g.edge_count) + 63) / 64;
  BitArray bits(g.edge_count);
  std::vector<BitArray> retained_by(threads);
  const int weak = g.edge_types.weak, shortcut = g.edge_types.shortcut, internal = g.edge_types.internal;
  on_threads(threads, [&](size_t thread) {
    BitArray& marked = retained_by[thread];
    marked = BitArray(static_cast<size_t>(g.node_count) + 1);
    std::optional<WeakMapEdgeNames> own_names;  // the cache of names is not shared between threads
    WeakMapEdgeNames& names = thread == 0 ? weakmap_names : own_names.emplace(g);
    const Share share = share_of(words, thread, threads);
    const auto first = static_cast<uint32_t>(share.begin * 64);
    const auto last = static_cast<uint32_t>(std::min<uint64_t>(share.end * 64, g.edge_count));
    if (first >= last) return;
    for (NodeIndex n = g.edge_owner(EdgeIndex{first}); n < g.node_count && g.first_edge[n] < last; ++n) {
      const bool is_root = n == g.root;
      const bool owned = page_owned[n];
      const uint32_t end = std::min<uint32_t>(g.first_edge[n + 1], last);
      for (EdgeIndex e{std::max<uint32_t>(g.first_edge[n], first)}; e < end; ++e) {
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
          const WeakMapEdgeName* m = names.get(g.edge_name[e]);
          if (m && m->table_id && *m->table_id == g.node_id[n]) continue;
        }
        bits.set(e);
        marked.set(t + 1);
      }
    }
  });
  retained = std::move(retained_by[0]);
  BigArray<uint64_t>& merged = retained.words();
  for (size_t thread = 1; thread < threads; ++thread)
    for (size_t w = 0; w < merged.size(); ++w) merged[w] |= retained_by[thread].words()[w];
  return bits;
}

}  // namespace

ImmediateDominators compute_dominators(const HeapGraph& g, const BitArray& page_owned, WeakMapEdgeNames& weakmap_names,
                                       const std::function<void()>& before_peak) {
  const uint32_t N = g.node_count;
  // 1-based vertex numbers (ordinal + 1); 0 means "none", as in the paper.
  const size_t L = static_cast<size_t>(N) + 1;
  BitArray retained_bits;
  const size_t threads = pass_threads(g);
  BitArray essential = essential_edges(g, page_owned, weakmap_names, retained_bits, threads);
  auto is_orphan = [&](uint32_t v) { return !retained_bits[v]; };

  // Everything the algorithm keeps per vertex sits in one record of three
  // numbers: eval reads a vertex's label and ancestor together, at random
  // places of the graph, so one cache miss brings both where separate
  // columns cost two (the dominator tree is the longest phase of an
  // analysis), and this phase sets the peak memory of a whole analysis, so
  // each field serves several purposes in turn rather than a column being
  // added for each. During the depth-first search the records are indexed by
  // vertex: `label` is its DFS number, `ancestor` its DFS tree parent,
  // `shared` the next of its edges to try. After it, by DFS number (below).
  // A semi-dominator, once found, is kept where its vertex's predecessor
  // list was, and the DFS tree's shape in two bits a vertex (`tree_shape`).
  struct VertexState {
    uint32_t label, ancestor, shared;
  };
  BigArray<VertexState> V(L);
  uint32_t n = 0;

  // Which vertices the search has numbered, a bit each: it asks once per
  // edge, at random, and the bits fit in the processor's cache where the
  // vertex records do not.
  BitArray numbered(L);
  // The DFS tree as balanced parentheses in DFS order: a set bit where a
  // vertex is numbered, a clear one where the search leaves it. The last
  // step reads it forwards to know each vertex's parent without keeping a
  // number for it. The root is left last, so that the orphans' trees and the
  // cycles below hang under it.
  BitArray tree_shape(2 * static_cast<size_t>(N));
  size_t shape_at = 0;
  auto number = [&](uint32_t v) {
    V[v].label = ++n;
    numbered.set(v);
    tree_shape.set(shape_at++);
  };
  const uint32_t r = g.root + 1;
  auto dfs = [&](uint32_t start) {
    V[start].shared = g.first_edge[start - 1];
    uint32_t v = start;
    while (v != 0) {
      if (!numbered[v]) number(v);
      uint32_t child = 0;
      const uint32_t end = g.first_edge[v];  // v's edges end where v + 1's (ordinal v) begin
      for (; V[v].shared < end; ++V[v].shared) {
        const uint32_t e = V[v].shared;
        if (!essential[e]) continue;
        uint32_t w = g.edge_target(e) + 1;
        if (!numbered[w]) {
          V[w].ancestor = v;
          V[w].shared = g.first_edge[w - 1];
          child = w;
          break;
        }
      }
      if (child) {
        v = child;
      } else {
        if (v != r) ++shape_at;  // v is done: leave it
        v = V[v].ancestor;
      }
    }
  };

  dfs(r);
  if (n < N) {
    // Orphans (nodes with no counted retainer) and what they reach hang under the root.
    for (uint32_t v = 1; v <= N; ++v) {
      if (!numbered[v] && is_orphan(v)) {
        V[v].ancestor = r;
        dfs(v);
      }
    }
  }
  // Cycles no orphan reaches (root -weak-> A, A <-> B): each node
  // individually under the root, as DevTools puts them. Their retainers are
  // each other, never the root's tree, so they count as orphans below too.
  // They take the last numbers: a number above `reached` is one of them.
  const uint32_t reached = n;
  for (uint32_t v = 1; v <= N && n < N; ++v) {
    if (!numbered[v]) {
      V[v].ancestor = r;
      number(v);
      ++shape_at;
    }
  }
  ++shape_at;  // leave the root
  numbered.clear();

  // From here on a vertex is known by its DFS number: the main loop then
  // walks the vertex states and the predecessor lists in memory order
  // instead of jumping to random places. The DFS parents become numbers in
  // two steps that each write a field the other does not read: a vertex's
  // parent number into its `shared`, then into the `ancestor` of its
  // number's slot. A vertex's number stays in its `label` until the
  // predecessors are filled.
  for (uint32_t v = 1; v <= N; ++v) V[v].shared = V[V[v].ancestor].label;  // V[0].label is 0: the root's parent
  for (uint32_t v = 1; v <= N; ++v) V[V[v].label].ancestor = V[v].shared;

  // Predecessors over essential edges, by number, in one array: the lists of
  // 1, 2, … N in turn, each one's first entry marked. The main loop takes
  // them from the back, so it needs no offsets, only which numbers have a
  // list (`has_list`). The DFS parent is left out: it is w's first
  // semi-dominator candidate anyway (a parent is numbered before its child,
  // so it is not linked yet and offers its own number), and leaving it out
  // leaves out a list entry per vertex (a third of them: most edges into a
  // vertex numbered after their source are the tree's). While the lists are
  // counted and filled, a list's end lives in its number's `shared`, next to
  // the parent's number in `ancestor`.
  constexpr uint32_t kFirst = 1u << 31;  // numbers stay below 2^29
  // Calls list(target's record, source's number) for each edge that goes in a list.
  auto for_each_listed_edge = [&](auto&& list) {
    for (NodeIndex o = 0; o < N; ++o) {
      const uint32_t from = V[o + 1].label;
      for (EdgeIndex e : g.edges_of(o)) {
        if (!essential[e]) continue;
        VertexState& to = V[V[g.edge_target(e) + 1].label];
        if (to.ancestor != from) list(to, from);
      }
    }
  };
  if (before_peak) before_peak();
  for (uint32_t i = 0; i <= N; ++i) V[i].shared = 0;
  for_each_listed_edge([](VertexState& to, uint32_t) { ++to.shared; });
  uint64_t total = 0;
  BitArray has_list(L);
  for (uint32_t i = 1; i <= N; ++i) {
    const uint32_t count = V[i].shared;
    if (count) has_list.set(i);
    V[i].shared = static_cast<uint32_t>(total);  // the list's start, until it is filled
    total += count;
  }
  BigArray<uint32_t> preds(total);
  for_each_listed_edge([&](VertexState& to, uint32_t from) { preds[to.shared++] = from; });
  uint32_t list_start = 0;
  for (uint32_t i = 1; i <= N; ++i) {
    if (V[i].shared > list_start) preds[list_start] |= kFirst;
    list_start = V[i].shared;
  }
  essential.clear();
  retained_bits.clear();
  // Each number's `shared` now keeps its vertex, for the results. The cores
  // share the vertices; each number is written by one of them.
  on_threads(threads, [&](size_t thread) {
    const Share share = share_of(N, thread, threads);
    for (auto v = static_cast<uint32_t>(share.begin + 1); v <= share.end; ++v) V[V[v].label].shared = v;
  });
  // `ancestor` is the forest's link (path compression shortens it); until a
  // vertex is linked it is the DFS parent. `label` is only read once a
  // vertex is linked, and set just before.
  BitArray linked(L);

  // Semi-NCA (Georgiadis): the semi-dominators as Lengauer–Tarjan finds
  // them, then each immediate dominator as the nearest common ancestor of
  // the vertex's DFS parent and its semi-dominator. It needs no buckets (a
  // column less at the moment of peak memory) and a label holds the least
  // semi-dominator on its path itself, not the vertex that has it, so path
  // compression reads one record per step instead of three.
  std::vector<uint32_t> stack;  // compression paths are short after the first few
  auto compress = [&](uint32_t v) {
    while (linked[V[v].ancestor]) {
      stack.push_back(v);
      v = V[v].ancestor;
    }
    while (!stack.empty()) {
      const uint32_t w = stack.back();
      stack.pop_back();
      const VertexState& a = V[V[w].ancestor];
      if (a.label < V[w].label) V[w].label = a.label;
      V[w].ancestor = a.ancestor;
    }
  };
  // The least semi-dominator on the forest path from v up; a vertex not
  // processed yet is its own (its number).
  auto eval = [&](uint32_t v) {
    if (!linked[v]) return v;
    compress(v);
    return V[v].label;
  };

  // A list is read from its end to its first entry, which then keeps the
  // vertex's semi-dominator (marked as a first entry still) for the climb.
  constexpr uint32_t kRoot = 1;     // the DFS started at the root
  size_t next_pred = preds.size();  // w's list ends here
  for (uint32_t w = N; w >= 2; --w) {
    // The parent: not linked yet, so `ancestor` still holds it. An orphan's
    // is the root, and so is its semi-dominator: the root is its only
    // predecessor (and for a cycle no orphan reaches, its only one that counts).
    uint32_t semi = V[w].ancestor;
    if (has_list[w]) {
      if (w > reached) {
        while (!(preds[--next_pred] & kFirst)) {
        }
      } else {
        uint32_t k;
        do {
          k = preds[--next_pred];
          const uint32_t candidate = eval(k & ~kFirst);
          if (candidate < semi) semi = candidate;
        } while (!(k & kFirst));
      }
      preds[next_pred] = semi | kFirst;
    }
    V[w].label = semi;
    linked.set(w);  // link(parent, w): `ancestor` is the parent already
  }
  linked.clear();
  stack.clear();

  // In DFS order every dominator of w's parent is final when w is reached:
  // climb from the parent while above w's semi-dominator (the parent itself
  // when w has no list). The immediate dominator goes in `ancestor`, free
  // now; the parents come from the tree's shape, read in the same order
  // with the path from the root on a stack.
  size_t list = 0;
  auto next_list = [&] {
    do ++list;
    while (list < preds.size() && !(preds[list] & kFirst));
  };
  if (has_list[kRoot]) next_list();  // the root's own list, never read
  V[kRoot].ancestor = kRoot;
  std::vector<uint32_t>& path = stack;
  path.push_back(kRoot);
  uint32_t w = kRoot;
  for (size_t at = 1; at < shape_at; ++at) {  // the root's own opening is at 0
    if (!tree_shape[at]) {
      path.pop_back();
      continue;
    }
    ++w;
    uint32_t d = path.back();
    if (has_list[w]) {
      const uint32_t semi = preds[list] & ~kFirst;
      next_list();
      while (d > semi) d = V[d].ancestor;
    }
    V[w].ancestor = d;
    path.push_back(w);
  }
  stack = {};
  // Free what is no longer needed before the results are allocated: this
  // phase sets the peak memory of a whole analysis.
  preds.clear();
  has_list.clear();
  tree_shape.clear();

  ImmediateDominators tree;
  tree.idom.resize(N);
  // The cores share the numbers; each vertex is written by one of them.
  on_threads(threads, [&](size_t thread) {
    const Share share = share_of(N, thread, threads);
    for (auto i = static_cast<uint32_t>(share.begin + 1); i <= share.end; ++i)
      tree.idom[V[i].shared - 1] = V[V[i].ancestor].shared - 1;
  });
  // Keep the DFS order: children come after their dominator in it, so one
  // backwards pass sums retained sizes.
  tree.order.resize(N > 0 ? N - 1 : 0);
  for (uint32_t i = 2; i <= N; ++i) tree.order[i - 2] = V[i].shared - 1;
  return tree;
}

BigArray<uint32_t> count_dominator_children(const HeapGraph& g, const ImmediateDominators& doms) {
  const uint32_t N = g.node_count;
  // Entry p + 2 counts p's children; the sums then make p + 1 where p's list starts.
  BigArray<uint32_t> starts(static_cast<size_t>(N) + 2);
  for (uint32_t o = 0; o < N; ++o)
    if (o != g.root) ++starts[doms.idom[o] + 2];
  for (uint32_t i = 2; i < N + 2; ++i) starts[i] += starts[i - 1];
  return starts;
}

DominatorTree build_dominator_tree(const HeapGraph& g, ImmediateDominators doms, BigArray<uint32_t> child_counts,
                                   const SizeColumn& self_sizes) {
  const uint32_t N = g.node_count;
  DominatorTree tree;
  // Retained sizes in one backwards pass over the order: children come
  // after their dominator in it.
  tree.retained = self_sizes.copy();
  for (size_t i = doms.order.size(); i-- > 0;) {
    const uint32_t o = doms.order[i];
    tree.retained.add(doms.idom[o], tree.retained[o]);
  }
  // One entry per node but the root, as the order has: its memory is free now.
  tree.children = std::move(doms.order);
  tree.first_child = std::move(child_counts);
  for (uint32_t o = 0; o < N; ++o)
    if (o != g.root) tree.children[tree.first_child[doms.idom[o] + 1]++] = o;
  tree.first_child.resize(N + 1);
  return tree;
}

BigArray<uint32_t> immediate_dominators(const HeapGraph& g, const DominatorTree& tree) {
  BigArray<uint32_t> idom(g.node_count);
  if (g.node_count > 0) idom[g.root] = g.root;
  for (uint32_t p = 0; p < g.node_count; ++p)
    for (uint32_t c = tree.first_child[p]; c < tree.first_child[p + 1]; ++c) idom[tree.children[c]] = p;
  return idom;
}

}  // namespace heapwise
