// What kind of JavaScript object a node is, by one rule each, shared by the
// leak groups (analysis) and the detectors (patterns).
#pragma once

#include <cstdint>

#include "analysis/snapshot.h"

namespace heapwise {

// A Map or a Set (a JS object of that class).
bool is_map_or_set(const Snapshot& s, NodeIndex n);
// A JS Array.
bool is_array(const Snapshot& s, NodeIndex n);
// Named properties of an object, not counting __proto__; counting stops at
// `stop_at` (for a threshold test on a big object).
uint32_t property_count(const Snapshot& s, NodeIndex n, uint32_t stop_at = UINT32_MAX);
// A plain Object used as a dictionary: more than kDictionaryProperties
// named properties, so its property names are keys (data), not structure.
constexpr uint32_t kDictionaryProperties = 32;
bool is_dictionary_object(const Snapshot& s, NodeIndex n);

}  // namespace heapwise
