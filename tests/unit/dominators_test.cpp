// The dominator tree against a brute-force reference on textbook and random graphs.
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <set>

#include "analysis/snapshot.h"
#include "loader/snapshot_loader.h"
#include "snapshot_builder.h"

namespace heapwise {
namespace {

using testing::SnapshotBuilder;

struct Graph {
  uint32_t n;
  std::vector<std::pair<uint32_t, uint32_t>> edges;  // node 0 is the root
};

std::unique_ptr<Snapshot> analyse(const Graph& graph, std::vector<uint64_t> sizes = {}) {
  SnapshotBuilder b;
  b.add_node({"synthetic", "", 1, 0});
  for (uint32_t i = 1; i < graph.n; ++i) b.add_node({"object", "Thing", 0, sizes.empty() ? 10 + i : sizes[i]});
  for (auto [from, to] : graph.edges) b.add_edge({from, to, "property", "p" + std::to_string(to)});
  return testing::analyse(b);
}

// Reachable set from the root when `removed` is taken out.
std::vector<bool> reachable(const Graph& g, uint32_t removed) {
  std::vector<bool> seen(g.n, false);
  if (removed == 0) return seen;
  std::vector<uint32_t> stack{0};
  seen[0] = true;
  while (!stack.empty()) {
    uint32_t v = stack.back();
    stack.pop_back();
    for (auto [a, b] : g.edges)
      if (a == v && b != removed && !seen[b]) {
        seen[b] = true;
        stack.push_back(b);
      }
  }
  return seen;
}

// Immediate dominators by definition: d dominates v iff removing d cuts v
// off. DevTools' rules for the nodes the root does not reach: a node no
// other node points to (an orphan) hangs under the root, and so does each
// node still unreached after that (a cycle reached only through weak edges),
// its edges counting as the others do.
std::vector<uint32_t> brute_force_idom(Graph g) {
  std::vector<bool> has_retainer(g.n, false);
  for (auto [a, b] : g.edges)
    if (a != b) has_retainer[b] = true;
  for (uint32_t v = 1; v < g.n; ++v)
    if (!has_retainer[v]) g.edges.push_back({0, v});
  const auto reached = reachable(g, g.n);
  for (uint32_t v = 1; v < g.n; ++v)
    if (!reached[v]) g.edges.push_back({0, v});
  std::vector<std::set<uint32_t>> dom(g.n);
  for (uint32_t d = 0; d < g.n; ++d) {
    auto r = reachable(g, d);
    for (uint32_t v = 0; v < g.n; ++v)
      if (v != d && !r[v]) dom[v].insert(d);
  }
  std::vector<uint32_t> idom(g.n, 0);
  for (uint32_t v = 1; v < g.n; ++v)
    for (uint32_t d : dom[v]) {
      // The immediate dominator is the one dominated by all the others.
      bool closest = true;
      for (uint32_t other : dom[v])
        if (other != d && !dom[d].count(other)) closest = false;
      if (closest) idom[v] = d;
    }
  return idom;
}

void expect_matches_brute_force(const Graph& g) {
  auto s = analyse(g);
  auto want = brute_force_idom(g);
  for (uint32_t v = 0; v < g.n; ++v) EXPECT_EQ(s->dominator(v), want[v]) << "node " << v;
  // Retained size = own size + retained sizes of dominated children.
  std::vector<uint64_t> retained(g.n, 0);
  for (uint32_t v = 0; v < g.n; ++v) {
    uint64_t sum = s->self_size(v);
    for (uint32_t u = 0; u < g.n; ++u) {
      // u is in v's dominator subtree if walking up from u reaches v.
      if (u == v) continue;
      uint32_t w = u;
      while (w != 0 && want[w] != v) w = want[w];
      if (want[w] == v && w != 0) sum += s->self_size(u);
    }
    retained[v] = sum;
  }
  for (uint32_t v = 1; v < g.n; ++v) EXPECT_EQ(s->retained_size(v), retained[v]) << "node " << v;
}

TEST(Dominators, LengauerTarjanPaperGraph) {
  // Figure 1 of Lengauer & Tarjan (1979): R=0, A..L=1..12.
  enum { R, A, B, C, D, E, F, G, H, I, J, K, L };
  Graph g{13, {{R, A}, {R, B}, {R, C}, {A, D}, {B, A}, {B, D}, {B, E}, {C, F}, {C, G}, {D, L}, {E, H},
               {F, I}, {G, I}, {G, J}, {H, E}, {H, K}, {I, K}, {J, I}, {K, I}, {K, R}, {L, H}}};
  expect_matches_brute_force(g);
  auto s = analyse(g);
  EXPECT_EQ(s->dominator(I), R);
  EXPECT_EQ(s->dominator(K), R);
  EXPECT_EQ(s->dominator(F), C);
  EXPECT_EQ(s->dominator(J), G);
  EXPECT_EQ(s->dominator(L), D);
}

TEST(Dominators, DiamondLoopAndIrreducible) {
  expect_matches_brute_force({5, {{0, 1}, {1, 2}, {1, 3}, {2, 4}, {3, 4}}});
  expect_matches_brute_force({5, {{0, 1}, {1, 2}, {2, 3}, {3, 1}, {3, 4}}});
  expect_matches_brute_force({4, {{0, 1}, {0, 2}, {1, 2}, {2, 1}, {1, 3}, {2, 3}}});
  expect_matches_brute_force({6, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 1}, {0, 3}}});
}

TEST(Dominators, RandomGraphsAgainstBruteForce) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    uint32_t n = 2 + rng() % 30;
    Graph g{n, {}};
    for (uint32_t v = 1; v < n; ++v) g.edges.push_back({rng() % v, v});  // everything reachable
    uint32_t extra = rng() % (2 * n);
    for (uint32_t i = 0; i < extra; ++i) g.edges.push_back({rng() % n, 1 + rng() % (n - 1)});
    SCOPED_TRACE("round " + std::to_string(round));
    expect_matches_brute_force(g);
  }
}

// Orphans, what only they reach, cycles nothing reaches, self edges.
TEST(Dominators, RandomGraphsWithUnreachablePartsAgainstBruteForce) {
  std::mt19937 rng(777);
  for (int round = 0; round < 300; ++round) {
    uint32_t n = 2 + rng() % 25;
    Graph g{n, {}};
    uint32_t edges = rng() % (2 * n);
    for (uint32_t i = 0; i < edges; ++i) g.edges.push_back({rng() % n, 1 + rng() % (n - 1)});
    SCOPED_TRACE("round " + std::to_string(round));
    expect_matches_brute_force(g);
  }
}

// A wide fan into one node, and a ladder whose every rung is dominated by the root.
TEST(Dominators, WideFanAndLadder) {
  Graph fan{20002, {}};
  for (uint32_t v = 1; v <= 20000; ++v) {
    fan.edges.push_back({0, v});
    fan.edges.push_back({v, 20001});
  }
  auto s = analyse(fan);
  EXPECT_EQ(s->dominator(20001), 0u);
  EXPECT_EQ(s->dominator(777), 0u);
  Graph ladder{201, {}};
  for (uint32_t v = 1; v + 2 < ladder.n; v += 2) {
    ladder.edges.push_back({v == 1 ? 0 : v - 2, v});
    ladder.edges.push_back({v == 1 ? 0 : v - 1, v + 1});
    ladder.edges.push_back({v, v + 1});
    ladder.edges.push_back({v + 1, v});
  }
  expect_matches_brute_force(ladder);
}

TEST(Dominators, MillionLongChainDoesNotRecurse) {
  Graph g{1000001, {}};
  for (uint32_t v = 1; v < g.n; ++v) g.edges.push_back({v - 1, v});
  auto s = analyse(g, std::vector<uint64_t>(g.n, 1));
  EXPECT_EQ(s->dominator(g.n - 1), g.n - 2);
  EXPECT_EQ(s->retained_size(1), g.n - 1);
  EXPECT_EQ(s->distance(g.n - 1), static_cast<int32_t>(g.n - 1));  // node 1 is a user root: distance 1
}

// A cycle the root reaches only through a weak edge (root -weak-> A, A <-> B,
// B -> C): no node of it is an orphan, so each one goes under the root, with
// its own size retained. DevTools' own worker (tools/devtools-oracle) gives
// dominator root and retained 10, 20, 30 for A, B, C. It crashed here
// before: the cycle's dominators were left as "none".
TEST(Dominators, CycleReachedOnlyThroughAWeakEdgeGoesUnderTheRoot) {
  SnapshotBuilder b;
  b.add_node({"synthetic", "", 1, 0});
  const uint32_t a = b.add_node({"object", "A", 3, 10});
  const uint32_t bb = b.add_node({"object", "B", 5, 20});
  const uint32_t c = b.add_node({"object", "C", 7, 30});
  b.add_edge({0, a, "weak", "w"});
  b.add_edge({a, bb, "property", "b"});
  b.add_edge({bb, a, "property", "a"});
  b.add_edge({bb, c, "property", "c"});
  auto s = testing::analyse(b);
  for (uint32_t n : {a, bb, c}) EXPECT_EQ(s->dominator(n), 0u) << n;
  EXPECT_EQ(s->retained_size(a), 10u);
  EXPECT_EQ(s->retained_size(bb), 20u);
  EXPECT_EQ(s->retained_size(c), 30u);
  EXPECT_EQ(s->retained_size(0), 60u);
}

// The edge passes are shared between the cores: the tree must be the one a
// single core computes, on a graph big enough to be cut (over 2^19 edges),
// with every rule's edges in it: weak, shortcut, WeakMap table -> value,
// self loops, and nodes a page owns (the root's shortcut edge).
TEST(Dominators, SharingTheEdgesBetweenCoresChangesNothing) {
  cpu_set_t all;
  ASSERT_EQ(sched_getaffinity(0, sizeof all, &all), 0);
  if (CPU_COUNT(&all) < 2) GTEST_SKIP() << "one usable CPU: nothing to share";
  std::mt19937 rng(23);
  SnapshotBuilder b;
  constexpr uint32_t kNodes = 150000;
  b.add_node({"synthetic", "", 1, 0});
  for (uint32_t i = 1; i < kNodes; ++i) b.add_node({"object", "T" + std::to_string(rng() % 50), 0, 8 + rng() % 100});
  b.add_edge({0, 1, "shortcut", "page"});
  const char* kinds[] = {"property", "property", "property", "element", "weak", "shortcut", "internal", "hidden"};
  for (uint32_t from = 1; from < kNodes; ++from)
    for (uint32_t k = rng() % 9; k > 0; --k) {
      // Mostly forward and near, so that the root reaches much of the graph.
      const uint32_t to = rng() % 16 ? std::min<uint32_t>(kNodes - 1, from + 1 + rng() % 50) : rng() % kNodes;
      const std::string kind = kinds[rng() % 8];
      std::string name = kind == "element" || kind == "hidden" ? std::to_string(rng() % 100) : "p";
      if (kind == "internal" && rng() % 2)
        name = std::to_string(k) + " / part of key (Object @7) -> value (Object @9) pair in WeakMap (table @" +
               std::to_string(1 + 2 * from) + ")";
      b.add_edge({from, to, kind, name});
    }
  auto shared = testing::analyse(b);
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &all)) {
      CPU_SET(cpu, &one);
      break;
    }
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  auto alone = testing::analyse(b);
  ASSERT_EQ(sched_setaffinity(0, sizeof all, &all), 0);
  size_t deep = 0;
  for (uint32_t v = 0; v < kNodes; ++v) {
    ASSERT_EQ(shared->dominator(v), alone->dominator(v)) << "node " << v;
    ASSERT_EQ(shared->retained_size(v), alone->retained_size(v)) << "node " << v;
    deep += alone->dominator(v) > 1;
  }
  EXPECT_GT(deep, kNodes / 10);  // a tree with depth, not only a fan under the root
}

}  // namespace
}  // namespace heapwise
