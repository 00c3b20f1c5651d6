// DevTools' Comparison view: per class, the objects new in the second
// snapshot and deleted since the first, matched by V8 object id.
#pragma once

#include <string>
#include <vector>

#include "analysis/snapshot.h"

namespace heapwise {

struct ClassDiff {
  std::string key, name;
  uint64_t new_count = 0, deleted_count = 0;
  uint64_t allocated_size = 0, freed_size = 0;  // shown self sizes
  int64_t count_delta() const { return static_cast<int64_t>(new_count) - static_cast<int64_t>(deleted_count); }
  int64_t size_delta() const { return static_cast<int64_t>(allocated_size) - static_cast<int64_t>(freed_size); }
};

// As DevTools: objects listed in the Summary (shown size > 0), grouped by
// class key, matched by id within a class. Rows with no change are left out.
std::vector<ClassDiff> diff_snapshots(const Snapshot& before, const Snapshot& after);

// Fraction of `before`'s object ids that `after` still has: near 0 when the
// two snapshots are not of one process (or its ids were reset).
double shared_id_fraction(const Snapshot& before, const Snapshot& after);
// (graph/id_set.h has it for a set of ids built already.)

}  // namespace heapwise
