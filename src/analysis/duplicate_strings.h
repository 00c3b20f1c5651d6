// Strings: the biggest ones, and identical strings stored many times (the
// bytes a program could save by interning or sharing them).
#pragma once

#include <string_view>
#include <vector>

#include "analysis/snapshot.h"

namespace heapwise {

struct DuplicateString {
  std::string_view value;
  uint64_t copies = 0;
  uint64_t total_size = 0;   // shown self sizes of all copies
  uint64_t wasted_size = 0;  // total_size minus the biggest copy
  NodeIndex example = NodeIndex::none();
};

bool is_string_node(const HeapGraph& g, NodeIndex n);

// Groups string nodes by value; groups with at least two copies, most
// wasted bytes first.
std::vector<DuplicateString> find_duplicate_strings(const Snapshot& s);

}  // namespace heapwise
