// Pattern 1: global or module-level collections that only grow: Map, Set,
// Array, or an object used as a dictionary. The fallback verdict for any
// growing group held by a collection.
#include <set>

#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/fix_text.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

const char kFix[] =
    "Give the collection a bound or a lifetime: delete entries when their owner is done (on "
    "request end, on close), cap it (drop the oldest past N, an LRU), or expire entries (TTL). "
    "Keep only what later code needs, not whole objects.";

class GrowingCollectionDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "growing-collection"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    // One snapshot cannot show growth: report collections that hold a big
    // share of the heap in many entries (4 MiB and 20 % of the heap).
    const uint64_t total = s.statistics().total;
    std::vector<Finding> out;
    std::set<NodeIndex> reported;
    for_each_named_collection(s, 4u << 20, [&](NodeIndex n, const std::string& name) {
      const uint64_t size = s.retained_size(n);
      if (size * 5 < total || reported.count(n)) return;
      const uint64_t entries = entry_count(s, n);
      if (entries < 1000) return;
      reported.insert(n);
      out.push_back(snapshot_finding(
          id(), n, size,
          "large " + collection_kind(s, n) + " '" + name + "' with " + format_count(entries) + " entries",
          node_label(s, n), format_size(size) + " retained (" + format_percent(size, total) + " of the heap)", kFix,
          nullptr));
    });
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto h = collection_holder(s, group);
    if (!h) return std::nullopt;
    const std::string kind = collection_kind(s, h->node);
    const FixText fix = growing_collection_fix(kind, h->name, group.leaked_class);
    Finding f = group_verdict(
        id(), group,
        kind + " '" + h->name + "' only grows: " + group.leaked_class + " entries are added and never removed",
        node_label(s, h->node) + " with " + format_count(entry_count(s, h->node)) + " entries", fix.advice,
        fix.example);
    f.kind = kind;
    name_holder(f, s, h->steps, h->step);
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_growing_collection_detector() {
  return std::make_unique<GrowingCollectionDetector>();
}

}  // namespace heapwise
