// The detector registry (see detectors.h).
#include "patterns/detectors.h"

#include <algorithm>

#include "patterns/all_detectors.h"

namespace heapwise {

const std::vector<std::unique_ptr<LeakPatternDetector>>& all_detectors() {
  static const auto* detectors = [] {
    auto* list = new std::vector<std::unique_ptr<LeakPatternDetector>>();
    add_builtin_detectors(*list);
    return list;
  }();
  return *detectors;
}

std::vector<Finding> scan_for_suspects(const Snapshot& s) {
  std::vector<Finding> out;
  for (const auto& d : all_detectors()) {
    auto found = d->scan(s);
    out.insert(out.end(), found.begin(), found.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.size > b.size; });
  return out;
}

std::optional<Finding> explain_group(const Snapshot& s, const LeakGroup& group) {
  for (const auto& d : all_detectors())
    if (auto f = d->explain(s, group)) return f;
  return std::nullopt;
}

}  // namespace heapwise
