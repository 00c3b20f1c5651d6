// Pattern 2: EventEmitter listener accumulation: listeners added (per
// request, per object) and never removed; each keeps its closure alive.
#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/fix_text.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

// Node's default maxListeners: past it Node itself warns about a possible leak.
constexpr uint64_t kListenerThreshold = 10;

const char kFix[] =
    "Remove the listener when its owner is done (emitter.off(event, fn) / removeListener), use "
    "emitter.once() for one-shot events, or subscribe once at startup instead of per request.";
const char kExample[] =
    "const onConfig = (cfg) => this.apply(cfg);\nbus.on('config', onConfig);\n"
    "// when the request / object is finished:\nbus.off('config', onConfig);";

NodeIndex property(const Snapshot& s, NodeIndex n, std::string_view name) {
  const HeapGraph& g = s.graph();
  for (EdgeIndex e : g.edges_of(n))
    if (g.edge_type_of(e) == g.edge_types.property && g.strings[g.edge_name[e]] == name) return g.edge_target(e);
  return NodeIndex::none();
}

class EventListenerDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "event-listeners"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    const HeapGraph& g = s.graph();
    std::vector<Finding> out;
    for (NodeIndex n = 0; n < g.node_count; ++n) {
      if (g.node_type[n] != g.node_types.object || s.distance(n) < 0) continue;
      const NodeIndex events = property(s, n, "_events");
      if (events.is_none()) continue;
      for (EdgeIndex e : g.edges_of(events)) {
        if (g.edge_type_of(e) != g.edge_types.property) continue;
        const NodeIndex list = g.edge_target(e);
        if (!is_array(s, list)) continue;
        const uint64_t listeners = entry_count(s, list);
        if (listeners <= kListenerThreshold) continue;
        const std::string event(g.strings[g.edge_name[e]]);
        out.push_back(snapshot_finding(
            id(), n, s.retained_size(list),
            format_count(listeners) + " listeners for '" + event + "' on one " + std::string(s.class_name(n)),
            node_label(s, n) + " ._events." + event, format_size(s.retained_size(list)) + " retained by the listeners",
            kFix, kExample));
      }
    }
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto steps = path_steps(s, group.example_path);
    for (size_t i = 0; i + 2 < steps.size(); ++i) {
      if (steps[i].edge_name != "_events") continue;
      // _events › <event> › ([] ›) listener: at most a listener array between.
      const bool list = steps[i + 1].to_class == "Array";
      const size_t listener = list ? i + 2 : i + 1;
      if (steps[listener].to_class != "Function") continue;
      // Held by the listener's closure itself, not by a collection further down.
      if (last_collection_step(s, steps) > static_cast<int>(i + 1)) continue;
      const NodeIndex emitter = steps[i].from;
      const std::string event = steps[i + 1].edge_name;
      const int emitter_step = static_cast<int>(i) - 1;
      const std::string emitter_name = emitter_step >= 0 ? holder_name(steps, emitter_step) : "";
      const FixText fix = listener_fix(emitter_name, event);
      Finding f = group_verdict(
          id(), group,
          "event listeners added and never removed ('" + event + "' on " + std::string(s.class_name(emitter)) + ")",
          format_count(list ? entry_count(s, steps[i + 1].to) : 1) + " '" + event + "' listeners on " +
              node_label(s, emitter) + " (" + holder_name(steps, static_cast<int>(i)) + ")",
          fix.advice, fix.example);
      f.kind = "'" + event + "' listeners of " + std::string(s.class_name(emitter));
      name_holder(f, s, steps, emitter_step);
      if (auto at = created_at(s, steps[listener].to); !at.empty()) {
        f.where += "; listener created at " + at;
        f.created_at = at;
        f.created_what = "listener";
      }
      return f;
    }
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_event_listener_detector() {
  return std::make_unique<EventListenerDetector>();
}

}  // namespace heapwise
