// The integer scanner behind the nodes and edges arrays (json_text::scan_uints).
#include <gtest/gtest.h>

#include <random>
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

// The grammar a byte at a time, written out plainly: what the scanner must
// answer, whichever way it reads the bytes.
struct Expected {
  std::vector<uint64_t> values;
  bool closed = false;
  std::string error;
  size_t at = 0;  // the error's byte, or the bytes consumed
};

Expected reference(const std::string& t) {
  Expected r;
  bool expect_value = true, any = false;
  auto fail = [&](const char* error, size_t at) {
    r.error = error;
    r.at = at;
    return r;
  };
  auto digit = [&](size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
  for (size_t i = 0; i < t.size();) {
    const char c = t[i];
    if (digit(i)) {
      if (!expect_value) return fail("expected ',' between numbers", i);
      const size_t start = i;
      uint64_t v = 0;
      for (; digit(i); ++i) v = v * 10 + static_cast<uint64_t>(t[i] - '0');
      if (i - start > 19) return fail("number too large", start);
      if (i < t.size() && (t[i] == '.' || t[i] == 'e' || t[i] == 'E'))
        return fail("expected an unsigned integer", start);
      r.values.push_back(v);
      expect_value = false;
      any = true;
    } else if (c == ',') {
      if (expect_value) return fail(any ? "two commas in a row" : "comma before the first number", i);
      expect_value = true;
      ++i;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      ++i;
    } else if (c == ']') {
      if (expect_value && any) return fail("comma before ']'", i);
      r.closed = true;
      r.at = i + 1;
      return r;
    } else {
      return fail(c == '-' ? "negative number in an unsigned integer array" : "unexpected character in integer array",
                  i);
    }
  }
  r.at = t.size();
  return r;
}

// Scans `text` through windows of `window` bytes, as the loader reads a file
// it cannot map: each call sees the bytes from where the last one stopped.
Scanned scan_windows(const std::string& text, size_t window, size_t cap) {
  Scanned r;
  const char* p = text.data();
  const char* text_end = text.data() + text.size();
  std::vector<uint64_t> batch(cap);
  while (!r.state.closed && !r.state.error) {
    const bool at_eof = static_cast<size_t>(text_end - p) <= window;
    const char* end = at_eof ? text_end : p + window;
    size_t n = 0;
    const char* before = p;
    p = scan_uints(p, end, at_eof, r.state, batch.data(), cap, n);
    r.values.insert(r.values.end(), batch.begin(), batch.begin() + static_cast<ptrdiff_t>(n));
    if (n == 0 && p == before && at_eof) break;
  }
  r.consumed = static_cast<size_t>(p - text.data());
  return r;
}

// Arrays as V8 writes them (rows of small numbers, a newline after each row),
// with now and then a long number, blanks, or one mistake somewhere.
std::string random_array(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> percent(0, 99);
  const int values = std::uniform_int_distribution<int>(0, 120)(rng);
  std::string t;
  for (int i = 0; i < values; ++i) {
    const int digits = percent(rng) < 90 ? std::uniform_int_distribution<int>(1, 9)(rng)
                                         : std::uniform_int_distribution<int>(10, 21)(rng);
    for (int d = 0; d < digits; ++d) t += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
    if (i + 1 < values) t += percent(rng) < 15 ? ",\n" : percent(rng) < 3 ? " , " : ",";
  }
  t += "]";
  if (percent(rng) < 50) {
    static const char* const mistakes[] = {",", "-", ".", "e", "x", " ", "]", "9", ",,", "\t", "E"};
    const size_t at = std::uniform_int_distribution<size_t>(0, t.size() - 1)(rng);
    t.insert(at, mistakes[std::uniform_int_distribution<size_t>(0, std::size(mistakes) - 1)(rng)]);
  }
  return t;
}

TEST(IntegerScanner, AgreesWithTheGrammarOnRandomArrays) {
  std::mt19937_64 rng(12);
  for (int round = 0; round < 4000; ++round) {
    const std::string text = random_array(rng);
    const Expected want = reference(text);
    for (size_t cap : {size_t{1}, size_t{5}, size_t{4096}}) {
      for (size_t window : {size_t{0}, size_t{40}, size_t{150}, size_t{333}}) {
        const Scanned got = window == 0 ? scan(text, cap) : scan_windows(text, window, cap);
        const std::string where = text + " (batch " + std::to_string(cap) + ", window " + std::to_string(window) + ")";
        ASSERT_EQ(got.values, want.values) << where;
        ASSERT_EQ(got.state.closed, want.closed) << where;
        ASSERT_EQ(got.state.error ? std::string(got.state.error) : "", want.error) << where;
        if (got.state.error) {
          ASSERT_EQ(static_cast<size_t>(got.state.error_at - text.data()), want.at) << where;
        } else if (got.state.closed) {
          ASSERT_EQ(got.consumed, want.at) << where;
        }
      }
    }
  }
}

}  // namespace
}  // namespace heapwise::json_text
