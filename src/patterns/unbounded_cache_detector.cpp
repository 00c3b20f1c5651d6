// Pattern 4: unbounded caches: memoization dictionaries keyed by input,
// growing with every new input.
#include <regex>

#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/path_view.h"
#include "util/format.h"

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
    std::vector<Finding> out;
    for_each_named_collection(s, 1u << 20, [&](NodeIndex n, const std::string& name) {
      if (is_array(s, n) || !cache_like(name)) return;
      const uint64_t entries = entry_count(s, n);
      if (entries < 1000) return;
      out.push_back(snapshot_finding(id(), n, s.retained_size(n),
                                     "cache '" + name + "' with " + format_count(entries) + " entries",
                                     node_label(s, n), format_size(s.retained_size(n)) + " retained", kFix, kExample));
    });
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto h = collection_holder(s, group);
    if (!h) return std::nullopt;
    // A dictionary keyed by input, or anything named like a cache; a
    // dictionary that lives in a closure's context is a memoizer's.
    const bool in_closure = h->steps[static_cast<size_t>(h->step)].edge_type == s.graph().edge_types.context;
    if (!cache_like(h->name) && !(is_dictionary_object(s, h->node) && in_closure)) return std::nullopt;
    Finding f = group_verdict(id(), group, "unbounded cache '" + h->name + "' keeps every result it has computed",
                              node_label(s, h->node) + " with " + format_count(entry_count(s, h->node)) + " entries",
                              kFix, kExample);
    f.kind = "cache (" + std::string(is_map_or_set(s, h->node) ? s.class_name(h->node) : "object") + ")";
    name_holder(f, s, h->steps, h->step);
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_unbounded_cache_detector() {
  return std::make_unique<UnboundedCacheDetector>();
}

}  // namespace heapwise
