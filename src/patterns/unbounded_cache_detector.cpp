// Pattern 4: unbounded caches: memoization dictionaries keyed by input,
// growing with every new input.
#include <regex>

#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/path_view.h"
#include "report/format.h"

namespace heapwise {

namespace {

const char kFix[] =
    "Bound the cache: an LRU with a maximum size (e.g. the lru-cache package, or a Map trimmed "
    "on insert), a TTL that evicts old entries, or a WeakMap when the keys are objects.";
const char kExample[] =
    "const cache = new Map();\nfunction cached(key) {\n  if (cache.has(key)) return cache.get(key);\n"
    "  const value = compute(key);\n  cache.set(key, value);\n"
    "  if (cache.size > 1000) cache.delete(cache.keys().next().value);  // oldest first\n  return value;\n}";

bool cache_like(const std::string& name) {
  static const std::regex re("cache|memo|lookup|seen|results|computed", std::regex::icase);
  return std::regex_search(name, re);
}

class UnboundedCacheDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "unbounded-cache"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    // Dictionaries and Maps named like caches, big and with many entries.
    const HeapGraph& g = s.graph();
    std::vector<Finding> out;
    for (EdgeIndex e = 0; e < g.edge_count; ++e) {
      const int t = g.edge_type_of(e);
      if (t != g.et.property && t != g.et.context) continue;
      const NodeIndex n = g.edge_target(e);
      if (s.retained_size(n) < (1u << 20)) continue;
      if (!is_dictionary_object(s, n) && !is_map_or_set(s, n)) continue;
      const std::string name(g.strings[g.edge_name[e]]);
      if (!cache_like(name) || entry_count(s, n) < 1000) continue;
      Finding f = snapshot_finding(id(), n, s.retained_size(n),
                                   "cache '" + name + "' with " + report::format_count(entry_count(s, n)) + " entries",
                                   node_label(s, n),
                                   report::format_size(s.retained_size(n)) + " retained", kFix, kExample);
      out.push_back(f);
    }
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto steps = path_steps(s, group.example_path);
    const int c = last_collection_step(s, steps);
    if (c < 0) return std::nullopt;
    const NodeIndex holder = steps[static_cast<size_t>(c)].to;
    const std::string name = holder_name(steps, c);
    // A dictionary keyed by input, or anything named like a cache; a
    // dictionary that lives in a closure's context is a memoizer's.
    const bool in_closure = steps[static_cast<size_t>(c)].edge_type == s.graph().et.context;
    if (!cache_like(name) && !(is_dictionary_object(s, holder) && in_closure)) return std::nullopt;
    Finding f = group_verdict(id(), group, "unbounded cache '" + name + "' keeps every result it has computed",
                              node_label(s, holder) + " with " + report::format_count(entry_count(s, holder)) + " entries", kFix, kExample);
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_unbounded_cache_detector() {
  return std::make_unique<UnboundedCacheDetector>();
}

}  // namespace heapwise
