// EdgeNameColumn: names packed in three bytes read back as written, and
// names past 24 bits kept whole.
#include "graph/edge_name_column.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace heapwise {
namespace {

BigArray<uint32_t> names_of(const std::vector<uint32_t>& values) {
  BigArray<uint32_t> names(values.size());
  for (size_t i = 0; i < values.size(); ++i) names[i] = values[i];
  return names;
}

std::vector<uint32_t> random_names(size_t count, uint32_t most) {
  std::mt19937 random(7);
  std::uniform_int_distribution<uint32_t> pick(0, most);
  std::vector<uint32_t> values(count);
  for (uint32_t& v : values) v = pick(random);
  return values;
}

TEST(EdgeNameColumn, NamesThatFitIn24BitsArePackedAndReadBack) {
  // Over a million names, so that the packing is shared between threads.
  std::vector<uint32_t> values = random_names(3'000'001, 0xffffff);
  values[0] = 0xffffff;  // the greatest that fits, first and last
  values.back() = 0xffffff;
  const EdgeNameColumn column(names_of(values));
  EXPECT_FALSE(column.packed_part().empty());
  EXPECT_TRUE(column.wide_part().empty());
  ASSERT_EQ(column.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(column[i], values[i]) << "name " << i;
}

TEST(EdgeNameColumn, OneNamePast24BitsKeepsThemAllInFourBytes) {
  std::vector<uint32_t> values = random_names(1000, 0xffff);
  values[500] = 0x1000000;
  const EdgeNameColumn column(names_of(values));
  EXPECT_TRUE(column.packed_part().empty());
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(column[i], values[i]) << "name " << i;
}

TEST(EdgeNameColumn, StoredPartsOfTheWrongLengthAreRefused) {
  EXPECT_THROW(EdgeNameColumn(BigArray<uint8_t>(10), BigArray<uint32_t>(), 4), std::invalid_argument);
  EXPECT_THROW(EdgeNameColumn(BigArray<uint8_t>(), BigArray<uint32_t>(3), 4), std::invalid_argument);
  EXPECT_NO_THROW(EdgeNameColumn(BigArray<uint8_t>(13), BigArray<uint32_t>(), 4));
}

}  // namespace
}  // namespace heapwise
