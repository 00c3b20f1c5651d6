// BigArray: contents survive every way a mapping grows, big mappings start
// on a huge page boundary and end at their last small page, and slots given back read as zero again.
#include "util/big_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace heapwise {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

TEST(BigArray, BigMappingsStartOnAHugePageBoundary) {
  for (size_t n : {size_t{1} << 18, (size_t{3} << 20) + 12345, size_t{40} << 20}) {
    BigArray<uint32_t> a(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % kHugePage, 0u) << n << " values";
    a[n - 1] = 7;  // the last value is inside the mapping
    EXPECT_EQ(a[n - 1], 7u);
  }
}

// The end of the mapping holding `p`, from /proc/self/maps (0 if not found).
uintptr_t mapping_end(const void* p) {
  std::ifstream maps("/proc/self/maps");
  const auto at = reinterpret_cast<uintptr_t>(p);
  for (std::string line; std::getline(maps, line);) {
    const uintptr_t begin = std::stoull(line, nullptr, 16);
    const uintptr_t end = std::stoull(line.substr(line.find('-') + 1), nullptr, 16);
    if (begin <= at && at < end) return end;
  }
  return 0;
}

TEST(BigArray, AMappingEndsAtTheLastSmallPageOfItsValues) {
  // Not at the next huge page: the kernel fills a huge page only where all
  // of it lies inside the mapping, so a column's partly used last one
  // stays in small pages instead of being resident whole.
  const size_t n = (size_t{3} << 20) + 12345;
  BigArray<uint8_t> a(n);
  const auto begin = reinterpret_cast<uintptr_t>(a.data());
  EXPECT_EQ(mapping_end(a.data()), begin + ((n + 4095) & ~size_t{4095}));
  a.resize(size_t{9} << 20);  // grown: the mapping follows
  a[(size_t{9} << 20) - 1] = 1;
  EXPECT_EQ(mapping_end(a.data()), reinterpret_cast<uintptr_t>(a.data()) + (size_t{9} << 20));
}

TEST(BigArray, PushBackKeepsEveryValueWhileArraysGrowSideBySide) {
  // Interleaved growth: some arrays grow in place, others must move because
  // a neighbour took the addresses after them. Either way nothing is lost.
  std::vector<BigArray<uint64_t>> arrays(4);
  const uint64_t n = 3'000'000;
  for (uint64_t i = 0; i < n; ++i)
    for (size_t k = 0; k < arrays.size(); ++k) arrays[k].push_back(i * 4 + k);
  for (size_t k = 0; k < arrays.size(); ++k) {
    ASSERT_EQ(arrays[k].size(), n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(arrays[k].data()) % kHugePage, 0u);
    for (uint64_t i = 0; i < n; ++i)
      if (arrays[k][i] != i * 4 + k) FAIL() << "array " << k << " value " << i << " is " << arrays[k][i];
  }
}

TEST(BigArray, GrowingFromASmallAllocationKeepsTheValues) {
  BigArray<uint32_t> a(1000);  // below the size that gets its own mapping
  for (uint32_t i = 0; i < 1000; ++i) a[i] = i + 1;
  a.reserve(size_t{5} << 20);
  a.resize(size_t{5} << 20);
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_EQ(a[i], i + 1);
  EXPECT_EQ(a[(size_t{5} << 20) - 1], 0u);
}

TEST(BigArray, PoppedSlotsReadAsZeroWhenTheArrayGrowsAgain) {
  BigArray<uint32_t> stack;
  for (uint32_t i = 1; i <= 5000; ++i) stack.push_back(i);
  EXPECT_EQ(stack.back(), 5000u);
  for (int i = 0; i < 3000; ++i) stack.pop_back();
  EXPECT_EQ(stack.back(), 2000u);
  stack.resize(5000);
  for (size_t i = 2000; i < 5000; ++i) ASSERT_EQ(stack[i], 0u) << i;
}

TEST(BigArray, ShrinkingZeroesWhatWasCutOff) {
  BigArray<uint8_t> a(size_t{4} << 20);
  a.fill(9);
  a.resize(10);
  a.resize(size_t{4} << 20);
  EXPECT_EQ(a[9], 9);
  EXPECT_EQ(a[10], 0);
  EXPECT_EQ(a[(size_t{4} << 20) - 1], 0);
}

TEST(BigArray, ABorrowedArrayCopiesItsValuesOutWhenItGrows) {
  std::vector<uint32_t> owner{1, 2, 3};
  BigArray<uint32_t> a = BigArray<uint32_t>::borrow(owner.data(), owner.size());
  EXPECT_EQ(a.data(), owner.data());
  a[0] = 10;  // writes go to the borrowed memory
  EXPECT_EQ(owner[0], 10u);
  a.push_back(4);  // growing copies: the owner's memory is left as it was
  EXPECT_NE(a.data(), owner.data());
  a[1] = 20;
  EXPECT_EQ(owner[1], 2u);
  EXPECT_EQ(std::vector<uint32_t>(a.begin(), a.end()), (std::vector<uint32_t>{10, 20, 3, 4}));
  BigArray<uint32_t> moved = std::move(a);
  EXPECT_EQ(moved.size(), 4u);
  // Clearing a borrowed array frees nothing (the sanitizer pass would catch a bad free).
  BigArray<uint32_t> b = BigArray<uint32_t>::borrow(owner.data(), owner.size());
  b.clear();
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(owner[2], 3u);
}

}  // namespace
}  // namespace heapwise
