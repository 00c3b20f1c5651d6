// Pattern 9: duplicated strings: waste, not a leak. One value stored in many
// copies (parsed headers, JSON keys, ids built by concatenation).
#include "analysis/duplicate_strings.h"
#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "util/format.h"

namespace heapwise {

namespace {

class DuplicateStringsDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "duplicate-strings"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    const auto dups = find_duplicate_strings(s);
    uint64_t wasted = 0;
    for (const auto& d : dups) wasted += d.wasted_size;
    const uint64_t total = s.statistics().total;
    // Worth a look from 1 MiB and 5 % of the heap.
    if (dups.empty() || wasted < (1u << 20) || wasted * 20 < total) return {};
    Finding f;
    f.pattern = id();
    f.title = "duplicated strings waste " + format_size(wasted) + " (not a leak)";
    f.what = format_count(dups.size()) +
             " values stored more than once; the worst: " + string_preview(dups[0].value, 40) + " × " +
             format_count(dups[0].copies);
    f.how_big = format_percent(wasted, total) + " of the heap";
    f.fix =
        "Share one copy: intern repeated values (a Map from value to the string), keep numbers as "
        "numbers, and avoid building the same key by concatenation in a loop. `heapwise strings "
        "--duplicates` lists them.";
    f.node = dups[0].example;
    f.size = wasted;
    return {f};
  }

  std::optional<Finding> explain(const Snapshot&, const LeakGroup&) const override { return std::nullopt; }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_duplicate_strings_detector() {
  return std::make_unique<DuplicateStringsDetector>();
}

}  // namespace heapwise
