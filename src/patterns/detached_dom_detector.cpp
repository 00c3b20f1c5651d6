// Pattern 8: detached DOM trees (browser snapshots with `detachedness`):
// elements removed from the document but still referenced from JavaScript.
#include "analysis/dom_state.h"
#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

// Detached and a DOM object: Node.js marks its own embedder objects
// ("Node / BindingData", ...) detached too, and those are not DOM.
bool is_detached_dom(const Snapshot& s, NodeIndex n) {
  return s.dom_state(n) == static_cast<uint8_t>(DomLinkState::kDetached) && s.graph().name(n).rfind("Node / ", 0) != 0;
}

const char kFix[] =
    "Drop the JavaScript references to removed elements (arrays, Maps, closures, event "
    "handlers on other nodes), or hold them in a WeakMap/WeakRef.";

class DetachedDomDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "detached-dom"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    const HeapGraph& g = s.graph();
    if (g.detachedness.empty()) return {};
    uint64_t count = 0, size = 0;
    NodeIndex biggest = NodeIndex::none();
    for (NodeIndex n = 0; n < g.node_count; ++n) {
      if (!is_detached_dom(s, n)) continue;
      ++count;
      size += s.self_size(n);
      // Report the roots of detached trees: their dominator is not detached.
      if (!is_detached_dom(s, s.dominator(n)) && (biggest.is_none() || s.retained_size(n) > s.retained_size(biggest)))
        biggest = n;
    }
    if (count == 0) return {};
    return {snapshot_finding(
        id(), biggest, size, format_count(count) + " detached DOM nodes",
        "the biggest detached tree: " + node_label(s, biggest),
        format_size(size) + " in detached nodes; that tree retains " + format_size(s.retained_size(biggest)), kFix,
        nullptr)};
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    if (!is_detached_dom(s, group.example)) return std::nullopt;
    return group_verdict(id(), group,
                         "detached DOM elements (" + group.leaked_class + ") still referenced from JavaScript", "",
                         kFix, nullptr);
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_detached_dom_detector() { return std::make_unique<DetachedDomDetector>(); }

}  // namespace heapwise
