// JavaScript string semantics on our UTF-8/WTF-8 strings, needed to match
// DevTools exactly: lengths and ordering in UTF-16 code units, parseInt,
// JSON.stringify of a string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace heapwise::js {

// String.prototype.length: UTF-16 code units.
size_t utf16_length(std::string_view s);
// The default sort order of Array.prototype.sort for strings (UTF-16 units).
int utf16_compare(std::string_view a, std::string_view b);
inline bool utf16_less(std::string_view a, std::string_view b) { return utf16_compare(a, b) < 0; }
// parseInt(s, 10); nullopt for NaN.
std::optional<double> parse_int(std::string_view s);
// JSON.stringify(s), quotes included (lone surrogates as \udXXX).
std::string json_quote(std::string_view s);
// DevTools' JSHeapSnapshotNode.formatPropertyName.
std::string format_property_name(std::string_view name);

}  // namespace heapwise::js
