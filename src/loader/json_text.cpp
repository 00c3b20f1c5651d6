// The hot scanning loops of the snapshot parser.
#include "loader/json_text.h"

#include <emmintrin.h>

namespace heapwise::json_text {

const char* scan_uints(const char* p, const char* end, bool at_eof, UintScan& st, uint64_t* out, size_t cap,
                       size_t& n) {
  n = 0;
  const char* limit =
      at_eof || static_cast<size_t>(end - p) <= kNumberMargin ? (at_eof ? end : p) : end - kNumberMargin;
  while (p < limit) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (static_cast<unsigned>(c - '0') < 10u) {
      if (!st.expect_value) {
        st.error_at = p;
        st.error = "expected ',' between numbers";
        return p;
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
        return start;
      }
      if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) {
        st.error_at = start;
        st.error = "expected an unsigned integer";
        return start;
      }
      out[n++] = v;
      st.expect_value = false;
      st.any = true;
      if (n == cap) return p;
    } else if (c == ',') {
      if (st.expect_value) {
        st.error_at = p;
        st.error = st.any ? "two commas in a row" : "comma before the first number";
        return p;
      }
      st.expect_value = true;
      ++p;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      ++p;
    } else if (c == ']') {
      if (st.expect_value && st.any) {
        st.error_at = p;
        st.error = "comma before ']'";
        return p;
      }
      st.closed = true;
      return p + 1;
    } else {
      st.error_at = p;
      st.error = c == '-' ? "negative number in an unsigned integer array" : "unexpected character in integer array";
      return p;
    }
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
