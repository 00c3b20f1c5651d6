// Pattern 1: global or module-level collections that only grow: Map, Set,
// Array, or an object used as a dictionary. The fallback verdict for any
// growing group held by a collection.
#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/path_view.h"
#include "report/format.h"

namespace heapwise {

namespace {

const char kFix[] =
    "Give the collection a bound or a lifetime: delete entries when their owner is done (on "
    "request end, on close), cap it (drop the oldest past N, an LRU), or expire entries (TTL). "
    "Keep only what later code needs, not whole objects.";
const char kExample[] =
    "sessions.set(id, session);\nres.on('close', () => sessions.delete(id));  // or a TTL sweep:\n"
    "setInterval(() => { for (const [k, s] of sessions) if (expired(s)) sessions.delete(k); }, 60_000).unref();";

std::string kind_of(const Snapshot& s, NodeIndex n) {
  if (is_map_or_set(s, n)) return std::string(s.class_name(n));
  if (is_array(s, n)) return "Array";
  return "object used as a dictionary";
}

class GrowingCollectionDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "growing-collection"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    // One snapshot cannot show growth: report collections that hold a big
    // share of the heap in many entries.
    const HeapGraph& g = s.graph();
    const uint64_t total = s.statistics().total;
    std::vector<Finding> out;
    for (EdgeIndex e = 0; e < g.edge_count; ++e) {
      const int t = g.edge_type_of(e);
      if (t != g.et.property && t != g.et.context) continue;
      const NodeIndex n = g.edge_target(e);
      const uint64_t size = s.retained_size(n);
      if (size < (4u << 20) || size * 5 < total) continue;  // 4 MiB and 20 % of the heap
      if (!is_map_or_set(s, n) && !is_array(s, n) && !is_dictionary_object(s, n)) continue;
      const uint64_t entries = entry_count(s, n);
      if (entries < 1000) continue;
      Finding f = snapshot_finding(id(), n, size,
                                   "large " + kind_of(s, n) + " '" + std::string(g.strings[g.edge_name[e]]) + "' with " +
                report::format_count(entries) + " entries",
                                   node_label(s, n),
                                   report::format_size(size) + " retained (" + report::format_percent(size, total) + " of the heap)", kFix, nullptr);
      bool seen = false;
      for (const auto& o : out) seen = seen || o.node == n;
      if (!seen) out.push_back(f);
    }
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto steps = path_steps(s, group.example_path);
    const int c = last_collection_step(s, steps);
    if (c < 0) return std::nullopt;
    const NodeIndex holder = steps[static_cast<size_t>(c)].to;
    Finding f = group_verdict(id(), group, kind_of(s, holder) + " '" + holder_name(steps, c) + "' only grows: " + group.leaked_class +
              " entries are added and never removed",
                              node_label(s, holder) + " with " + report::format_count(entry_count(s, holder)) + " entries", kFix, kExample);
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_growing_collection_detector() {
  return std::make_unique<GrowingCollectionDetector>();
}

}  // namespace heapwise
