// Matches the DevTools regular expression
//   ^\d+(?<duplicatedPart> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table
//   @(?<tableId>\d+)\))$
// by hand ('.' excludes JavaScript line terminators).
#include "analysis/weakmap_edges.h"

namespace heapwise {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool has_line_terminator(std::string_view s) {
  return s.find_first_of("\n\r") != std::string_view::npos || s.find("\xe2\x80\xa8") != std::string_view::npos ||
         s.find("\xe2\x80\xa9") != std::string_view::npos;
}

// Removes a trailing " @<digits>" from s; false if s does not end so.
bool strip_at_id(std::string_view& s) {
  size_t i = s.size();
  while (i > 0 && is_digit(s[i - 1])) --i;
  if (i == s.size() || i < 2 || s[i - 1] != '@' || s[i - 2] != ' ') return false;
  s = s.substr(0, i - 2);
  return true;
}

}  // namespace

std::optional<WeakMapEdgeName> parse_weakmap_edge_name(std::string_view s) {
  static constexpr std::string_view kHead = " / part of key (";
  static constexpr std::string_view kMiddle = ") -> value (";
  static constexpr std::string_view kTail = ") pair in WeakMap (table @";
  size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0) return std::nullopt;
  std::string_view rest = s.substr(i);
  if (rest.substr(0, kHead.size()) != kHead || rest.empty() || rest.back() != ')') return std::nullopt;
  // Table id: the digits before the final ')'.
  size_t end = rest.size() - 1, id_begin = end;
  while (id_begin > 0 && is_digit(rest[id_begin - 1])) --id_begin;
  if (id_begin == end || id_begin < kTail.size() || rest.substr(id_begin - kTail.size(), kTail.size()) != kTail)
    return std::nullopt;
  if (has_line_terminator(rest)) return std::nullopt;
  std::string_view middle = rest.substr(kHead.size(), id_begin - kTail.size() - kHead.size());
  // middle = X " @" d+ ") -> value (" Y " @" d+
  if (!strip_at_id(middle)) return std::nullopt;
  bool ok = false;
  for (size_t q = middle.find(kMiddle); q != std::string_view::npos; q = middle.find(kMiddle, q + 1)) {
    std::string_view before = middle.substr(0, q);
    if (strip_at_id(before)) {
      ok = true;
      break;
    }
  }
  if (!ok) return std::nullopt;
  WeakMapEdgeName r;
  r.duplicated_part = rest;
  std::string_view id = rest.substr(id_begin, end - id_begin);
  size_t first = id.find_first_not_of('0');
  if (first == std::string_view::npos) {
    r.table_id = 0;
  } else if (id.size() - first <= 10) {
    uint64_t v = 0;
    for (char c : id.substr(first)) v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v <= 0xffffffffu) r.table_id = static_cast<uint32_t>(v);
  }
  return r;
}

const WeakMapEdgeName* WeakMapEdgeNames::get(uint32_t name_index) {
  uint8_t& st = state_[name_index];
  if (st == 1) return nullptr;
  if (st == 2) return &parsed_.at(name_index);
  auto r = parse_weakmap_edge_name(g_.strings[name_index]);
  if (!r) {
    st = 1;
    return nullptr;
  }
  st = 2;
  return &parsed_.emplace(name_index, *r).first->second;
}

}  // namespace heapwise
