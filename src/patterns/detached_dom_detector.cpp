// Pattern 8: detached DOM trees (browser snapshots with `detachedness`):
// elements removed from the document but still referenced from JavaScript.
// Each finding names that JavaScript holder (the array `window.cache`, a
// closure variable), as the growing-collection finding names its Map: the
// trees are grouped by the object that keeps them.
#include <algorithm>
#include <map>

#include "analysis/dom_state.h"
#include "analysis/heap_text.h"
#include "analysis/retainer_paths.h"
#include "patterns/all_detectors.h"
#include "patterns/fix_text.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

// Detached and a DOM object: Node.js marks its own embedder objects
// ("Node / BindingData", ...) detached too, and those are not DOM.
bool is_detached_dom(const Snapshot& s, NodeIndex n) {
  return s.dom_state(n) == static_cast<uint8_t>(DomLinkState::kDetached) && s.graph().name(n).rfind("Node / ", 0) != 0;
}

// `<div class="row">` from "Detached <div class="row">".
std::string element_text(const Snapshot& s, NodeIndex n) {
  std::string name(s.node_name(n));
  if (name.rfind("Detached ", 0) == 0) name.erase(0, 9);
  return name;
}

// What keeps a detached tree: the last collection on its path, else the
// object that refers to it.
struct TreeHolder {
  std::vector<PathStep> steps;
  int step = -1;  // the step into the holder; -1 when none is named
  NodeIndex node = NodeIndex::none();
  std::string kind;  // "Array", "Map", ...; "" for a plain reference
};

TreeHolder holder_of(const Snapshot& s, const RetainerPath& path) {
  TreeHolder h;
  h.steps = path_steps(s, path);
  h.step = last_collection_step(s, h.steps);
  if (h.step >= 0) {
    h.node = h.steps[static_cast<size_t>(h.step)].to;
    h.kind = collection_kind(s, h.node);
  } else if (h.steps.size() >= 2) {
    h.step = static_cast<int>(h.steps.size()) - 2;
    h.node = h.steps[static_cast<size_t>(h.step)].to;
  }
  return h;
}

// The finding about one holder's trees; `trees` and `bytes` are what it keeps.
Finding holder_finding(Finding f, const Snapshot& s, const TreeHolder& h, const std::string& element) {
  if (h.step >= 0) name_holder(f, s, h.steps, h.step);
  f.kind = h.kind.empty() ? "reference" : h.kind;
  const FixText fix = detached_dom_fix(h.kind, f.name, element);
  f.fix = fix.advice;
  f.example = fix.example;
  return f;
}

std::string holder_words(const Snapshot& s, const TreeHolder& h, const std::string& name) {
  if (h.node.is_none()) return "JavaScript";
  if (!name.empty()) return (h.kind.empty() ? std::string("'") : h.kind + " '") + name + "'";
  return node_label(s, h.node);
}

class DetachedDomDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "detached-dom"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    const HeapGraph& g = s.graph();
    if (g.detachedness.empty()) return {};
    // The roots of detached trees (their dominator is not detached), by holder.
    struct Kept {
      TreeHolder holder;
      uint64_t trees = 0, bytes = 0;
      std::map<std::string, uint64_t> elements;  // root element -> trees
    };
    std::map<NodeIndex, Kept> by_holder;
    uint64_t nodes = 0;
    for (NodeIndex n = 0; n < g.node_count; ++n) {
      if (!is_detached_dom(s, n)) continue;
      ++nodes;
      if (is_detached_dom(s, s.dominator(n))) continue;
      const auto paths = shortest_retainer_paths(s, s.retainers(), n, 1);
      if (paths.empty()) continue;
      TreeHolder h = holder_of(s, paths.front());
      Kept& k = by_holder[h.node];
      if (k.trees == 0) k.holder = std::move(h);
      ++k.trees;
      k.bytes += s.retained_size(n);
      ++k.elements[element_text(s, n)];
    }
    std::vector<const Kept*> ranked;
    for (const auto& [node, kept] : by_holder) ranked.push_back(&kept);
    std::sort(ranked.begin(), ranked.end(), [](const Kept* a, const Kept* b) { return a->bytes > b->bytes; });
    if (ranked.size() > 5) ranked.resize(5);  // the biggest holders; the rest are named by `heapwise retainers`
    std::vector<Finding> out;
    for (const Kept* k : ranked) {
      const auto most = std::max_element(k->elements.begin(), k->elements.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
      Finding f = snapshot_finding(id(), k->holder.node, k->bytes, "", "", "", "", nullptr);
      f = holder_finding(std::move(f), s, k->holder, most->first);
      const std::string trees =
          format_count(most->second) + " detached " + most->first + (most->second == 1 ? " tree" : " trees");
      const uint64_t others = k->trees - most->second;
      f.title = holder_words(s, k->holder, f.name) + " keeps " + trees + " removed from the page";
      f.what = trees + (others ? " and " + format_count(others) + (others == 1 ? " other tree" : " other trees") : "") +
               ", kept by " + (k->holder.node.is_none() ? "a root" : node_label(s, k->holder.node));
      f.how_big =
          format_size(k->bytes) + " retained by those trees; " + format_count(nodes) + " detached DOM nodes in all";
      out.push_back(std::move(f));
    }
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    if (!is_detached_dom(s, group.example)) return std::nullopt;
    const TreeHolder h = holder_of(s, group.example_path);
    const std::string element = element_text(s, group.example);
    Finding f = group_verdict(id(), group, "", "", "", "");
    f = holder_finding(std::move(f), s, h, element);
    f.title = holder_words(s, h, f.name) + " keeps " + format_count(group.population.back()) + " detached " + element +
              " trees (" + format_size(group.population_bytes.back()) + "), more at every snapshot";
    f.what = h.node.is_none()
                 ? "detached " + element + " trees"
                 : node_label(s, h.node) +
                       (h.kind.empty() ? "" : " with " + format_count(entry_count(s, h.node)) + " entries");
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_detached_dom_detector() { return std::make_unique<DetachedDomDetector>(); }

}  // namespace heapwise
