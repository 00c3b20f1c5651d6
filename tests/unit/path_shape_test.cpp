// Path-shape keys: repeated blocks collapse, chains of any length are one shape.
#include "analysis/path_shape.h"

#include <gtest/gtest.h>

namespace heapwise {
namespace {

ShapeIds ids(std::initializer_list<StepId> steps) {
  ShapeIds out;
  for (StepId s : steps) out.push_back({s});
  return out;
}

std::vector<std::pair<StepId, bool>> flat(const ShapeIds& shape) {
  std::vector<std::pair<StepId, bool>> out;
  for (const auto& s : shape) out.push_back({s.step, s.repeated});
  return out;
}

TEST(PathShape, StepTableInternsEqualTextsOnce) {
  StepTable t;
  const StepId a = t.intern("sessions: Map");
  const StepId b = t.intern("[] (internal): Session");
  EXPECT_NE(a, b);
  EXPECT_EQ(t.intern("sessions: Map"), a);
  EXPECT_EQ(t.text(b), "[] (internal): Session");
}

TEST(PathShape, RepeatedBlocksCollapse) {
  ShapeIds one = ids({1, 2, 2, 2, 3});
  collapse_repeats(one);
  EXPECT_EQ(flat(one), (std::vector<std::pair<StepId, bool>>{{1, false}, {2, true}, {3, false}}));
  ShapeIds pairs = ids({1, 4, 5, 4, 5, 4, 5, 3});
  collapse_repeats(pairs);
  EXPECT_EQ(flat(pairs), (std::vector<std::pair<StepId, bool>>{{1, false}, {4, true}, {5, true}, {3, false}}));
  ShapeIds plain = ids({1, 2, 3});
  collapse_repeats(plain);
  EXPECT_EQ(flat(plain), (std::vector<std::pair<StepId, bool>>{{1, false}, {2, false}, {3, false}}));
}

TEST(PathShape, ChainsOfAnyLengthOrDirectionHaveOneKey) {
  // A linked list walked by `next` (4) or by `prev` (5) links, short or long.
  ShapeIds short_next = ids({1, 4, 4, 9});
  ShapeIds long_next = ids({1, 4, 4, 4, 4, 4, 9});
  ShapeIds long_prev = ids({1, 5, 5, 5, 9});
  for (ShapeIds* s : {&short_next, &long_next, &long_prev}) collapse_repeats(*s);
  EXPECT_EQ(shape_key(short_next), shape_key(long_next));
  EXPECT_EQ(shape_key(long_next), shape_key(long_prev));
  // Without a chain the steps themselves tell shapes apart.
  EXPECT_NE(shape_key(ids({1, 2, 9})), shape_key(ids({1, 3, 9})));
  EXPECT_NE(shape_key(ids({1, 2})), shape_key(ids({1, 2, 2})));
}

TEST(PathShape, TextMarksRepeatedSteps) {
  EXPECT_EQ(shape_text({{"global", false}, {"next: Node", true}, {"value: Item", false}}),
            "global › (next: Node)… › value: Item");
}

}  // namespace
}  // namespace heapwise
