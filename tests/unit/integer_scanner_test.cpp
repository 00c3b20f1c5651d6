// The integer scanner behind the nodes and edges arrays (json_text::scan_uints).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loader/json_text.h"

namespace heapwise::json_text {
namespace {

struct Scanned {
  std::vector<uint64_t> values;
  UintScan state;
  size_t consumed = 0;
};

// Scans `text` (the part after '['), in batches of `cap`.
Scanned scan(const std::string& text, size_t cap = 64) {
  Scanned r;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  std::vector<uint64_t> batch(cap);
  while (!r.state.closed && !r.state.error) {
    size_t n = 0;
    const char* before = p;
    p = scan_uints(p, end, true, r.state, batch.data(), cap, n);
    r.values.insert(r.values.end(), batch.begin(), batch.begin() + static_cast<ptrdiff_t>(n));
    if (n == 0 && p == before) break;
  }
  r.consumed = static_cast<size_t>(p - text.data());
  return r;
}

TEST(IntegerScanner, ValuesWhitespaceAndTheClosingBracket) {
  // Up to 19 digits, so no value can overflow 64 bits.
  const Scanned r = scan("0,1, 22 ,\n333,\t9999999999999999999] tail");
  EXPECT_FALSE(r.state.error);
  EXPECT_TRUE(r.state.closed);
  EXPECT_EQ(r.values, (std::vector<uint64_t>{0, 1, 22, 333, 9999999999999999999u}));
  EXPECT_EQ(r.consumed, std::string("0,1, 22 ,\n333,\t9999999999999999999]").size());
}

TEST(IntegerScanner, EmptyArray) {
  const Scanned r = scan("]");
  EXPECT_TRUE(r.state.closed);
  EXPECT_TRUE(r.values.empty());
}

TEST(IntegerScanner, BatchesSplitAnywhere) {
  std::string text;
  std::vector<uint64_t> want;
  for (uint64_t i = 0; i < 1000; ++i) {
    want.push_back(i * 7919);
    text += std::to_string(i * 7919) + (i + 1 < 1000 ? "," : "]");
  }
  for (size_t cap : {1, 3, 64, 4096}) {
    const Scanned r = scan(text, cap);
    EXPECT_EQ(r.values, want) << "batch of " << cap;
  }
}

TEST(IntegerScanner, ErrorsPointAtTheBadByte) {
  struct Case {
    std::string text, error;
    size_t at;
  };
  const Case cases[] = {
      {"1,2 3]", "expected ',' between numbers", 4},
      {"1,-2]", "negative number in an unsigned integer array", 2},
      {"1,2.5]", "expected an unsigned integer", 2},
      {"1,2e3]", "expected an unsigned integer", 2},
      {"1,,2]", "two commas in a row", 2},
      {",1]", "comma before the first number", 0},
      {"1,2,]", "comma before ']'", 4},
      {"1,x]", "unexpected character in integer array", 2},
      {"18446744073709551615]", "number too large", 0},
  };
  for (const auto& c : cases) {
    const Scanned r = scan(c.text);
    ASSERT_TRUE(r.state.error) << c.text;
    EXPECT_EQ(std::string(r.state.error), c.error) << c.text;
    EXPECT_EQ(static_cast<size_t>(r.state.error_at - c.text.data()), c.at) << c.text;
  }
}

}  // namespace
}  // namespace heapwise::json_text
