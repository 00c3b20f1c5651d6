// JavaScript string semantics (see js_text.h).
#include "analysis/js_text.h"

#include <cstdio>
#include <vector>

namespace heapwise::js {

namespace {

// Decodes one WTF-8 code point at s[i]; advances i. Invalid bytes decode as
// themselves (the loader only stores valid WTF-8).
uint32_t next_code_point(std::string_view s, size_t& i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  if (i + len > s.size()) len = 1;
  uint32_t cp = len == 4 ? (c & 0x07u) : len == 3 ? (c & 0x0fu) : len == 2 ? (c & 0x1fu) : c;
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
  i += len;
  return cp;
}

void append_utf16(std::vector<uint16_t>& out, uint32_t cp) {
  if (cp >= 0x10000) {
    cp -= 0x10000;
    out.push_back(static_cast<uint16_t>(0xd800 + (cp >> 10)));
    out.push_back(static_cast<uint16_t>(0xdc00 + (cp & 0x3ff)));
  } else {
    out.push_back(static_cast<uint16_t>(cp));
  }
}

std::vector<uint16_t> to_utf16(std::string_view s) {
  std::vector<uint16_t> out;
  for (size_t i = 0; i < s.size();) append_utf16(out, next_code_point(s, i));
  return out;
}

bool is_js_space(uint32_t cp) {
  return cp == 0x09 || cp == 0x0a || cp == 0x0b || cp == 0x0c || cp == 0x0d || cp == 0x20 || cp == 0xa0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
         cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
}

}  // namespace

size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xc0) != 0x80) ++n;  // one unit per lead byte
    if (c >= 0xf0) ++n;           // supplementary: a surrogate pair
  }
  return n;
}

int utf16_compare(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t n = a.size() < b.size() ? a.size() : b.size();
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
  // Code point order equals UTF-16 order unless a surrogate or a char at or
  // above U+E000 is involved; only then compare as UTF-16.
  auto ca = static_cast<unsigned char>(a[i]), cb = static_cast<unsigned char>(b[i]);
  if (ca < 0xed && cb < 0xed) return ca < cb ? -1 : 1;
  size_t start = i;
  while (start > 0 && (static_cast<unsigned char>(a[start]) & 0xc0) == 0x80) --start;
  auto ua = to_utf16(a.substr(start)), ub = to_utf16(b.substr(start));
  size_t m = ua.size() < ub.size() ? ua.size() : ub.size();
  for (size_t k = 0; k < m; ++k)
    if (ua[k] != ub[k]) return ua[k] < ub[k] ? -1 : 1;
  return ua.size() == ub.size() ? 0 : (ua.size() < ub.size() ? -1 : 1);
}

std::optional<double> parse_int(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    if (!is_js_space(next_code_point(s, j))) break;
    i = j;
  }
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  size_t start = i;
  double v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
  if (i == start) return std::nullopt;
  return neg ? -v : v;
}

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t before = i;
    uint32_t cp = next_code_point(s, i);
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (cp < 0x20 || (cp >= 0xd800 && cp <= 0xdfff)) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", cp);
          out += buf;
        } else {
          out.append(s.substr(before, i - before));
        }
    }
  }
  out += '"';
  return out;
}

std::string format_property_name(std::string_view name) {
  if (name.find_first_of(",'\"{}") == std::string_view::npos) return std::string(name);
  return json_quote(name);  // JSON.stringify({[name]: 0}) minus the braces and ":0"
}

}  // namespace heapwise::js
