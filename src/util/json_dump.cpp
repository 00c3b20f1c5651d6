// Exact JSON text (see json_dump.h). Each WTF-8 surrogate is swapped for a
// marker nlohmann writes as is (U+FDD0, a noncharacter, then four hex
// digits) before the dump, and each marker for its \u escape after. A real
// U+FDD0 in the text gets a marker too (it comes back as \ufdd0, the same
// character), so no text can be mistaken for a marker.
#include "util/json_dump.h"

#include <string_view>

namespace heapwise {

namespace {

constexpr std::string_view kMarker = "\xEF\xB7\x90";  // U+FDD0

// The 16-bit code unit of a 3-byte WTF-8 sequence at s (ED A0..BF xx is a
// surrogate; EF B7 90 is U+FDD0), or 0 when it is neither.
unsigned marked_unit(std::string_view s, size_t i) {
  if (i + 2 >= s.size()) return 0;
  const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]),
             b2 = static_cast<unsigned char>(s[i + 2]);
  const bool surrogate = b0 == 0xED && b1 >= 0xA0 && b1 <= 0xBF && (b2 & 0xC0) == 0x80;
  if (!surrogate && s.substr(i, 3) != kMarker) return 0;
  return ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
}

bool needs_markers(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (marked_unit(s, i)) return true;
  return false;
}

std::string with_markers(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size(); ++i) {
    if (const unsigned unit = marked_unit(s, i)) {
      out += kMarker;
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(unit >> shift) & 0xF];
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Replaces marked strings (keys too) in a copy; returns whether any was.
bool mark(nlohmann::ordered_json& j) {
  bool any = false;
  if (j.is_string()) {
    auto& s = j.get_ref<std::string&>();
    if (needs_markers(s)) {
      s = with_markers(s);
      any = true;
    }
  } else if (j.is_array()) {
    for (auto& v : j) any = mark(v) || any;
  } else if (j.is_object()) {
    bool keys = false;
    for (auto it = j.begin(); it != j.end(); ++it) {
      keys = keys || needs_markers(it.key());
      any = mark(it.value()) || any;
    }
    if (keys) {
      nlohmann::ordered_json renamed = nlohmann::ordered_json::object();
      for (auto it = j.begin(); it != j.end(); ++it) renamed[with_markers(it.key())] = std::move(it.value());
      j = std::move(renamed);
      any = true;
    }
  }
  return any;
}

bool contains_marked(const nlohmann::ordered_json& j) {
  if (j.is_string()) return needs_markers(j.get_ref<const std::string&>());
  if (j.is_array()) {
    for (const auto& v : j)
      if (contains_marked(v)) return true;
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (needs_markers(it.key()) || contains_marked(it.value())) return true;
  }
  return false;
}

}  // namespace

std::string dump_json(const nlohmann::ordered_json& j, int indent) {
  const auto dump = [indent](const nlohmann::ordered_json& v) {
    return v.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  };
  if (!contains_marked(j)) return dump(j);
  nlohmann::ordered_json copy = j;
  mark(copy);
  const std::string text = dump(copy);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, kMarker.size(), kMarker) == 0 && i + 7 <= text.size()) {
      out += "\\u";
      out.append(text, i + 3, 4);
      i += 6;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace heapwise
