// SizeColumn: sizes from 4 GiB - 1 up kept aside, through sets, sums that
// cross the boundary (retained sizes of big heaps) and copies.
#include "graph/size_column.h"

#include <gtest/gtest.h>

namespace heapwise {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

TEST(SizeColumn, SumsCrossingFourGiBMoveAsideAndBack) {
  SizeColumn sizes(3);
  sizes.set_fresh(0, 3 * kGiB);
  sizes.set_fresh(1, 7);
  sizes.add(0, kGiB - 2);  // 4 GiB - 2, the greatest size kept in 4 bytes
  EXPECT_EQ(sizes[0], 4 * kGiB - 2);
  EXPECT_TRUE(sizes.big_part().empty());
  sizes.add(0, 1);  // 4 GiB - 1 is the mark of a size kept aside: aside
  EXPECT_EQ(sizes[0], 4 * kGiB - 1);
  EXPECT_EQ(sizes.big_part().size(), 1u);
  sizes.add(0, 5 * kGiB);
  EXPECT_EQ(sizes[0], 9 * kGiB - 1);
  sizes.add(1, 10 * kGiB);  // a small one made big by one addition
  EXPECT_EQ(sizes[1], 10 * kGiB + 7);
  sizes.set(0, 5);  // and back to small: nothing left aside for it
  EXPECT_EQ(sizes[0], 5u);
  EXPECT_EQ(sizes.big_part().size(), 1u);
  EXPECT_EQ(sizes[2], 0u);
}

TEST(SizeColumn, ACopyIsIndependentOfItsSource) {
  SizeColumn sizes(2);
  sizes.set_fresh(0, 6 * kGiB);
  sizes.set_fresh(1, 42);
  SizeColumn copy = sizes.copy();
  copy.add(0, 1);
  copy.add(1, 1);
  EXPECT_EQ(sizes[0], 6 * kGiB);
  EXPECT_EQ(sizes[1], 42u);
  EXPECT_EQ(copy[0], 6 * kGiB + 1);
  EXPECT_EQ(copy[1], 43u);
}

}  // namespace
}  // namespace heapwise
