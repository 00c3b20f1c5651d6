// The hot scanning loops of the snapshot parser.
#include "loader/json_text.h"

#include <emmintrin.h>

#include <cstring>

namespace heapwise::json_text {

namespace {

// Bit i of each mask tells what byte i of the 64 at p is.
struct BlockMasks {
  uint64_t digit, comma, blank;
};

uint64_t bits_of(__m128i bytes, int part) {
  return uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(bytes))} << (16 * part);
}

BlockMasks classify_block(const char* p) {
  BlockMasks m{0, 0, 0};
  for (int part = 0; part < 4; ++part) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * part));
    // (unsigned)(c - '0') < 10 as a signed compare: flip the top bit of both sides.
    const __m128i from_zero =
        _mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(static_cast<char>(0x80)));
    const __m128i digit = _mm_cmplt_epi8(from_zero, _mm_set1_epi8(static_cast<char>(10 ^ 0x80)));
    const __m128i blank =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
    m.digit |= bits_of(digit, part);
    m.comma |= bits_of(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), part);
    m.blank |= bits_of(blank, part);
  }
  return m;
}

// The value of the len (1..8) digits at q; the 8 bytes at q must be readable.
uint64_t up_to_8_digits(const char* q, int len) {
  uint64_t x;
  std::memcpy(&x, q, 8);
  // A byte after the digits may borrow when '0' is taken away, but a borrow
  // only moves towards later bytes, which the mask drops.
  x -= 0x3030303030303030u;
  x = (x & (~uint64_t{0} >> (64 - 8 * len))) << (64 - 8 * len);  // leading zeros, then the digits
  // Pairs, then fours, then all eight (Lemire's method).
  x = x * 10 + (x >> 8);
  return (((x & 0x000000FF000000FFu) * (100 + (1000000ull << 32))) +
          (((x >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32)))) >>
         32;
}

constexpr uint64_t kPowersOf10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Bit i set where bits 0..i of x hold an odd number of ones.
uint64_t prefix_parity(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// Reads the numbers of the 64-byte block at p up to its last separator, when
// every byte before that is a digit, comma or blank. Where each number starts
// and ends, and whether numbers and commas take turns, comes from bit masks
// of the whole block, so no number waits for the one before it to be read.
// Returns where it stopped: before the first thing it leaves to the
// byte-at-a-time loop (a bracket, a bad byte, a misplaced comma, a number of
// more than 16 digits), which also words every error; `whole` says whether it
// reached the block's last separator. p is never inside a number. Reads at
// most 72 bytes from p.
const char* scan_block(const char* p, UintScan& st, uint64_t* out, size_t cap, size_t& n, bool& whole) {
  whole = false;
  const BlockMasks m = classify_block(p);
  const uint64_t other = ~(m.digit | m.comma | m.blank);
  const uint64_t before_other = other == 0 ? ~uint64_t{0} : (uint64_t{1} << __builtin_ctzll(other)) - 1;
  const uint64_t separators = (m.comma | m.blank) & before_other;
  if (separators == 0) return p;
  int last = 63 - __builtin_clzll(separators);
  uint64_t region = last == 63 ? ~uint64_t{0} : (uint64_t{2} << last) - 1;
  uint64_t starts = m.digit & ~(m.digit << 1) & region;
  const uint64_t commas = m.comma & region;
  // Numbers and commas must take turns, a number first when one is expected:
  // the odd-numbered of them (counting from one) are numbers then.
  const uint64_t odd = prefix_parity(starts | commas);
  const uint64_t misplaced = st.expect_value ? (starts & ~odd) | (commas & odd) : (starts & odd) | (commas & ~odd);
  // So are numbers too long for two 8-digit reads: the digits of a number
  // starting at i end where the 17 bytes from i are not all digits.
  uint64_t digits17 = m.digit;
  for (int k = 1; k < 16; k <<= 1) digits17 &= digits17 >> k;  // bit i: bytes i..i+15 all digits
  const uint64_t bad = misplaced | (starts & digits17 & (m.digit >> 16));
  if (bad) {
    const int at = __builtin_ctzll(bad);
    if (at == 0) return p;
    last = at - 1;
    region = (uint64_t{1} << at) - 1;
    starts &= region;
  }
  const uint64_t events = (starts | commas) & region;
  const uint64_t number_ends = m.digit & ~(m.digit >> 1);
  const size_t first = n;
  while (starts) {
    const int at = __builtin_ctzll(starts);
    starts &= starts - 1;
    const int len = __builtin_ctzll(number_ends >> at) + 1;
    const char* q = p + at;
    out[n++] = len <= 8 ? up_to_8_digits(q, len)
                        : up_to_8_digits(q, 8) * kPowersOf10[len - 8] + up_to_8_digits(q + 8, len - 8);
    if (n == cap) {
      st.expect_value = false;
      st.any = true;
      return q + len;
    }
  }
  if (events) st.expect_value = (commas >> (63 - __builtin_clzll(events))) & 1;
  st.any = st.any || n > first;
  whole = !bad;
  return p + last + 1;
}

// One number, separator or bracket at p, a byte at a time; false when the
// scan stops there (the closing bracket or an error).
bool scan_one(const char*& p, const char* end, UintScan& st, uint64_t* out, size_t& n) {
  unsigned char c = static_cast<unsigned char>(*p);
  if (static_cast<unsigned>(c - '0') < 10u) {
    if (!st.expect_value) {
      st.error_at = p;
      st.error = "expected ',' between numbers";
      return false;
    }
    const char* start = p;
    uint64_t v = c - '0';
    ++p;
    while (p < end && static_cast<unsigned>(static_cast<unsigned char>(*p) - '0') < 10u) {
      v = v * 10 + static_cast<unsigned char>(*p - '0');
      ++p;
    }
    if (p - start > 19) {
      st.error_at = start;
      st.error = "number too large";
      p = start;
      return false;
    }
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) {
      st.error_at = start;
      st.error = "expected an unsigned integer";
      p = start;
      return false;
    }
    out[n++] = v;
    st.expect_value = false;
    st.any = true;
  } else if (c == ',') {
    if (st.expect_value) {
      st.error_at = p;
      st.error = st.any ? "two commas in a row" : "comma before the first number";
      return false;
    }
    st.expect_value = true;
    ++p;
  } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
    ++p;
  } else if (c == ']') {
    if (st.expect_value && st.any) {
      st.error_at = p;
      st.error = "comma before ']'";
      return false;
    }
    st.closed = true;
    ++p;
    return false;
  } else {
    st.error_at = p;
    st.error = c == '-' ? "negative number in an unsigned integer array" : "unexpected character in integer array";
    return false;
  }
  return true;
}

}  // namespace

const char* scan_uints(const char* p, const char* end, bool at_eof, UintScan& st, uint64_t* out, size_t cap,
                       size_t& n) {
  n = 0;
  const char* limit =
      at_eof || static_cast<size_t>(end - p) <= kNumberMargin ? (at_eof ? end : p) : end - kNumberMargin;
  while (p < limit) {
    bool whole = true;
    while (whole && limit - p >= 72 && n < cap) p = scan_block(p, st, out, cap, n, whole);
    if (n == cap || p >= limit) break;
    if (!scan_one(p, end, st, out, n) || n == cap) break;
  }
  return p;
}

size_t plain_run(const char* p, const char* end) {
  const char* q = p;
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - q >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    // Signed compare: bytes >= 0x80 are negative, so this also catches non-ASCII.
    __m128i bad =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmplt_epi8(v, space));
    int mask = _mm_movemask_epi8(bad);
    if (mask) return static_cast<size_t>(q - p) + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    q += 16;
  }
  while (q < end) {
    unsigned char c = static_cast<unsigned char>(*q);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
    ++q;
  }
  return static_cast<size_t>(q - p);
}

size_t utf8_sequence(const unsigned char* p, size_t avail) {
  unsigned char c = p[0];
  size_t len;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (avail < len) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) return 0;  // overlong
  if (cp >= 0xd800 && cp <= 0xdfff) return 0;  // raw surrogates are not UTF-8
  return len;
}

size_t encode_wtf8(uint32_t cp, char* b) {
  if (cp < 0x80) {
    b[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    b[0] = static_cast<char>(0xc0 | (cp >> 6));
    b[1] = static_cast<char>(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    b[0] = static_cast<char>(0xe0 | (cp >> 12));
    b[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    b[2] = static_cast<char>(0x80 | (cp & 0x3f));
    return 3;
  }
  b[0] = static_cast<char>(0xf0 | (cp >> 18));
  b[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
  b[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
  b[3] = static_cast<char>(0x80 | (cp & 0x3f));
  return 4;
}

int hex4(const char* p) {
  int v = 0;
  for (int i = 0; i < 4; ++i) {
    char c = p[i];
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace heapwise::json_text
