// Pattern 6: a class keeping a registry (array, Set, Map) of its own instances.
#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/fix_text.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

class InstanceRegistryDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "instance-registry"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    // Constructors (closures) with a property holding a collection full of
    // their own instances.
    const HeapGraph& g = s.graph();
    std::vector<Finding> out;
    for (NodeIndex fn = 0; fn < g.node_count; ++fn) {
      if (g.node_type[fn] != g.node_types.closure || s.distance(fn) < 0) continue;
      const std::string_view cls = s.node_name(fn);
      if (cls.empty()) continue;
      for (EdgeIndex e : g.edges_of(fn)) {
        if (g.edge_type_of(e) != g.edge_types.property) continue;
        const NodeIndex coll = g.edge_target(e);
        if (!is_array(s, coll) && !is_map_or_set(s, coll)) continue;
        if (s.retained_size(coll) < (1u << 20)) continue;
        uint64_t own = 0;
        for (EdgeIndex k : g.edges_of(coll)) {
          if (own >= 1000) break;
          if (s.class_name(g.edge_target(k)) == cls) ++own;
        }
        if (own < 100) continue;
        const std::string field(g.strings[g.edge_name[e]]);
        const FixText fix = registry_fix(std::string(cls), field);
        Finding f =
            snapshot_finding(id(), coll, s.retained_size(coll),
                             "class " + std::string(cls) + " keeps its instances in " + std::string(cls) + "." + field,
                             format_count(entry_count(s, coll)) + " entries in " + node_label(s, coll),
                             format_size(s.retained_size(coll)) + " retained", "", nullptr);
        f.fix = fix.advice;
        f.example = fix.example;
        out.push_back(f);
      }
    }
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto h = collection_holder(s, group);
    if (!h || h->step < 1) return std::nullopt;
    // The object owning the collection: a constructor function named like the leaked class.
    const PathStep& into = h->steps[static_cast<size_t>(h->step)];
    const NodeIndex owner = into.from;
    const HeapGraph& g = s.graph();
    if (g.node_type[owner] != g.node_types.closure || s.node_name(owner) != group.leaked_class) return std::nullopt;
    const FixText fix = registry_fix(group.leaked_class, into.edge_name);
    Finding f = group_verdict(id(), group,
                              "class " + group.leaked_class + " registers every instance in " + group.leaked_class +
                                  "." + into.edge_name + " and never removes them",
                              node_label(s, h->node) + " (" + format_count(entry_count(s, h->node)) + " entries)",
                              fix.advice, fix.example);
    if (auto at = created_at(s, group.example); !at.empty()) f.where += "; class at " + at;
    f.kind = "registry of " + group.leaked_class + " instances";
    name_holder(f, s, h->steps, h->step);
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_instance_registry_detector() {
  return std::make_unique<InstanceRegistryDetector>();
}

}  // namespace heapwise
