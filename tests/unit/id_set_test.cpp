// IdSet against a plain std::set, on ids like V8's (dense, odd) mixed with
// hashed embedder ids anywhere in 32 bits.
#include "graph/id_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace heapwise {
namespace {

HeapGraph graph_with_ids(const std::vector<uint32_t>& ids) {
  HeapGraph g;
  g.node_count = static_cast<uint32_t>(ids.size());
  g.node_id.resize(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) g.node_id[i] = ids[i];
  return g;
}

TEST(IdSet, AnswersAsASetOfTheIds) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<uint32_t> ids;
    const uint32_t dense = 1 + rng() % 5000;
    for (uint32_t i = 0; i < dense; ++i)
      if (rng() % 3) ids.push_back(1 + 2 * i);                  // V8's ids: odd, ascending, some freed
    for (int i = rng() % 40; i > 0; --i) ids.push_back(rng());  // hashed embedder ids
    ids.push_back(0);
    if (round % 2) ids.push_back(UINT32_MAX);
    std::shuffle(ids.begin(), ids.end(), rng);
    const std::set<uint32_t> expected(ids.begin(), ids.end());
    const HeapGraph g = graph_with_ids(ids);
    const IdSet set(g);
    for (uint32_t id : ids) EXPECT_TRUE(set.contains(id)) << id;
    for (int i = 0; i < 20000; ++i) {
      const uint32_t probe = i % 2 ? rng() : rng() % (2 * dense + 10);
      EXPECT_EQ(set.contains(probe), expected.count(probe) == 1) << probe;
    }
    EXPECT_EQ(set.contains(UINT32_MAX), expected.count(UINT32_MAX) == 1);
  }
}

TEST(IdSet, EmptyGraphHasNoIds) {
  const HeapGraph g = graph_with_ids({});
  const IdSet set(g);
  EXPECT_FALSE(set.contains(0));
  EXPECT_FALSE(set.contains(1));
  EXPECT_FALSE(set.contains(UINT32_MAX));
}

TEST(IdSet, SharedFractionCountsTheEarlierIdsStillThere) {
  const HeapGraph before = graph_with_ids({1, 3, 5, 7, 4000000000u});
  const HeapGraph after = graph_with_ids({3, 7, 9, 4000000000u});
  EXPECT_DOUBLE_EQ(shared_id_fraction(before, IdSet(after)), 3.0 / 5.0);
}

}  // namespace
}  // namespace heapwise
