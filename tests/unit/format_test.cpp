// Sizes, counts, percentages and distances as the tables print them.
#include "util/format.h"

#include <gtest/gtest.h>

namespace heapwise {
namespace {

TEST(FormatSize, BytesBelowOneKibibyteAreExact) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(1023), "1023 B");
}

TEST(FormatSize, ThreeSignificantDigitsInBinaryUnits) {
  EXPECT_EQ(format_size(1024), "1.00 KiB");
  EXPECT_EQ(format_size(14438), "14.1 KiB");
  EXPECT_EQ(format_size(uint64_t{3427} << 10), "3.35 MiB");
  EXPECT_EQ(format_size(uint64_t{500} << 20), "500 MiB");
  EXPECT_EQ(format_size(uint64_t{1127} << 20), "1.10 GiB");
  EXPECT_EQ(format_size(uint64_t{5} << 40), "5.00 TiB");
}

TEST(FormatSize, TebibytesIsTheLargestUnit) { EXPECT_EQ(format_size(uint64_t{2048} << 40), "2048 TiB"); }

TEST(FormatCount, GroupsThousands) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(12345678), "12,345,678");
}

TEST(FormatPercent, OneDecimalAndZeroForAnEmptyWhole) {
  EXPECT_EQ(format_percent(1, 3), "33.3 %");
  EXPECT_EQ(format_percent(3, 3), "100.0 %");
  EXPECT_EQ(format_percent(5, 0), "0.0 %");
}

TEST(FormatDistance, DashForUnreachableAndSystemOnly) {
  EXPECT_EQ(format_distance(3), "3");
  EXPECT_EQ(format_distance(-5), "-");
  EXPECT_EQ(format_distance(100000002), "-");
}

}  // namespace
}  // namespace heapwise
