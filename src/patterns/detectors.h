// The leak-pattern detectors. Each one looks at a single snapshot (`scan`,
// for the "Suspects" of `stats` and `leaks`) and at a leak group found across
// snapshots (`explain`, its verdict). One detector per pattern, each in its
// own file.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "analysis/leak_groups.h"
#include "analysis/snapshot.h"
#include "patterns/finding.h"

namespace heapwise {

class LeakPatternDetector {
 public:
  virtual ~LeakPatternDetector() = default;
  virtual const char* id() const = 0;
  // Suspects in one snapshot.
  virtual std::vector<Finding> scan(const Snapshot& s) const = 0;
  // Whether a growing group (paths in the final snapshot `s`) matches this
  // pattern, and what to tell the user.
  virtual std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const = 0;
};

// Every detector, most specific first (a group takes the first verdict).
const std::vector<std::unique_ptr<LeakPatternDetector>>& all_detectors();

// Single-snapshot suspects from every detector, biggest first.
std::vector<Finding> scan_for_suspects(const Snapshot& s);
// The first matching detector's verdict for a group.
std::optional<Finding> explain_group(const Snapshot& s, const LeakGroup& group);

}  // namespace heapwise
