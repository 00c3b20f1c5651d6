// Pattern 3: intervals and timers still active, retaining their callbacks'
// closures (Node `Timeout` objects in the timer lists).
#include <algorithm>

#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

NodeIndex callback_of(const Snapshot& s, NodeIndex timeout) {
  const HeapGraph& g = s.graph();
  for (EdgeIndex e : g.edges_of(timeout))
    if (g.edge_has_string_name(e) && g.strings[g.edge_name[e]] == "_onTimeout") return g.edge_target(e);
  return NodeIndex::none();
}

const char kFix[] =
    "Keep the handle and clear it when the work is done (clearInterval / clearTimeout), or "
    "tie it to a lifetime: an AbortSignal, a dispose() / close() that clears it. unref() only lets the "
    "process exit; the callback and everything it captures stay alive.";
const char kExample[] =
    "const timer = setInterval(poll, 1000);\n"
    "job.on('done', () => clearInterval(timer));";

class TimerDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "timers"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    const HeapGraph& g = s.graph();
    uint64_t count = 0, retained = 0;
    NodeIndex biggest = NodeIndex::none();
    for (NodeIndex n = 0; n < g.node_count; ++n) {
      if (s.class_name(n) != "Timeout" || s.distance(n) < 0) continue;
      NodeIndex cb = callback_of(s, n);
      if (cb.is_none()) continue;
      ++count;
      retained += s.retained_size(n);
      if (biggest.is_none() || s.retained_size(n) > s.retained_size(biggest)) biggest = n;
    }
    // A service has a handful of timers; hundreds mean some are never cleared.
    if (count < 100) return {};
    Finding f = snapshot_finding(id(), biggest, retained,
                                 format_count(count) + " active timers (Timeout objects) with their callbacks",
                                 "Timeout objects still scheduled; the biggest " + node_label(s, biggest),
                                 format_size(retained) + " retained by the timers", kFix, kExample);
    if (auto at = created_at(s, callback_of(s, biggest)); !at.empty()) f.where = "callback created at " + at;
    return {f};
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto steps = path_steps(s, group.example_path);
    // The leaked object is a timer, or its holder is a timer's callback with
    // no collection in between.
    int timer_step = -1;
    for (int i = static_cast<int>(steps.size()) - 1; i >= 0; --i)
      if (steps[static_cast<size_t>(i)].to_class == "Timeout") {
        timer_step = i;
        break;
      }
    if (timer_step < 0) return std::nullopt;
    const bool leaked_is_timer = timer_step == static_cast<int>(steps.size()) - 1;
    if (!leaked_is_timer && last_collection_step(s, steps) > timer_step) return std::nullopt;
    if (!leaked_is_timer && (static_cast<size_t>(timer_step) + 1 >= steps.size() ||
                             steps[static_cast<size_t>(timer_step) + 1].edge_name != "_onTimeout"))
      return std::nullopt;
    const NodeIndex timer = steps[static_cast<size_t>(timer_step)].to;
    const NodeIndex cb = callback_of(s, timer);
    Finding f = group_verdict(id(), group, "timers that are never cleared keep their callbacks' closures alive",
                              leaked_is_timer ? "Timeout objects (active setInterval / setTimeout)"
                                              : group.leaked_class + " held by the callback of an active timer",
                              kFix, kExample);
    f.kind = "timers";
    if (!cb.is_none() && !created_at(s, cb).empty()) {
      f.where = "callback " + node_label(s, cb) + " created at " + created_at(s, cb);
      f.created_at = created_at(s, cb);
      f.created_what = "callback";
    }
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_timer_detector() { return std::make_unique<TimerDetector>(); }

}  // namespace heapwise
