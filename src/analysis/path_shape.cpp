// Path shapes (see path_shape.h).
#include "analysis/path_shape.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "analysis/distances.h"
#include "analysis/heap_text.h"
#include "analysis/object_kinds.h"

namespace heapwise {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// How a step shows its edge: "[]" for elements, "[] (internal)" for hash
// table slots (Map, Set), "[key]" for a dictionary's properties (its names
// are data), else the edge's label.
enum class EdgeForm : uint8_t { kIndex = 1, kTableSlot, kKey, kLabel };

EdgeForm edge_form(const Snapshot& s, EdgeIndex e, NodeIndex owner) {
  const HeapGraph& g = s.graph();
  const int t = g.edge_type_of(e);
  if (t == g.edge_types.element || t == g.edge_types.hidden) return EdgeForm::kIndex;
  if (t == g.edge_types.internal && all_digits(g.strings[g.edge_name[e]])) return EdgeForm::kTableSlot;
  if (t == g.edge_types.property && is_dictionary_object(s, owner)) return EdgeForm::kKey;
  return EdgeForm::kLabel;
}

std::string step_text(const Snapshot& s, EdgeIndex e, EdgeForm form) {
  std::string edge;
  switch (form) {
    case EdgeForm::kIndex:
      edge = "[]";
      break;
    case EdgeForm::kTableSlot:
      edge = "[] (internal)";
      break;
    case EdgeForm::kKey:
      edge = "[key]";
      break;
    case EdgeForm::kLabel:
      edge = edge_label(s, e);
      break;
  }
  return edge + ": " + display_class(s, s.graph().edge_target(e));
}

// What step_text's result is made of, as two numbers: the edge's form (with
// the edge's type and name when its label shows them) and the target's
// class. Nullopt for a synthetic target, shown by its own name (rare: roots).
std::optional<std::pair<uint64_t, uint64_t>> step_parts(const Snapshot& s, EdgeIndex e, EdgeForm form) {
  const HeapGraph& g = s.graph();
  const NodeIndex to = g.edge_target(e);
  if (g.node_type[to] == g.node_types.synthetic) return std::nullopt;
  uint64_t edge = static_cast<uint64_t>(form);
  if (form == EdgeForm::kLabel)
    edge |= (uint64_t{g.edge_name[e]} << 8) | (static_cast<uint64_t>(g.edge_type_of(e)) << 3);
  return std::pair{edge, uint64_t{s.class_index(to)}};
}

constexpr StepId kChainMarker = 0xffffffffu;

}  // namespace

StepId StepTable::intern(const std::string& text) {
  auto [it, inserted] = ids_.try_emplace(text, static_cast<StepId>(texts_.size()));
  if (inserted) texts_.push_back(text);
  return it->second;
}

ShapeKey shape_key(const ShapeIds& shape) {
  ShapeKey key;
  bool in_chain = false;
  auto append = [&](StepId id) { key.append(reinterpret_cast<const char*>(&id), sizeof id); };
  for (const auto& step : shape) {
    if (step.repeated) {
      if (!in_chain) append(kChainMarker);
      in_chain = true;
      continue;
    }
    in_chain = false;
    append(step.step);
  }
  return key;
}

namespace {

// One left-to-right pass that folds every block of k steps repeated right
// after itself into the first copy, marked repeated. What is kept never
// holds such a repeat (each append is checked, and a fold returns to a
// state that was checked), so one pass does what erasing the leftmost
// repeat again and again did, in time linear in the path: a linked list's
// path of 10,000 `next` steps made that cubic over a leak group.
bool fold_repeats(ShapeIds& steps, size_t k) {
  size_t kept = 0;
  bool folded = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    steps[kept++] = steps[i];
    if (kept < 2 * k) continue;
    bool same = true;
    for (size_t j = 0; j < k && same; ++j) same = steps[kept - 2 * k + j].step == steps[kept - k + j].step;
    if (!same) continue;
    for (size_t j = 0; j < k; ++j) steps[kept - 2 * k + j].repeated = true;
    kept -= k;
    folded = true;
  }
  steps.resize(kept);
  return folded;
}

}  // namespace

void collapse_repeats(ShapeIds& steps) {
  // Shorter periods first; a fold of a longer one can make a shorter one appear.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 1; k <= 4 && !changed; ++k) changed = fold_repeats(steps, k);
  }
}

BigArray<PathParent> shortest_path_parents(const Snapshot& s) {
  // One pass forward over the edges, not over each node's retainers: the
  // same candidates in the same order (owners ascending, then their edges),
  // without the reverse index (8 bytes an edge) that only this would need
  // in an earlier snapshot of a series.
  const HeapGraph& g = s.graph();
  BigArray<PathParent> parents(g.node_count);
  parents.fill(PathParent{});
  for (NodeIndex u = 0; u < g.node_count; ++u) {
    for (EdgeIndex e : g.edges_of(u)) {
      const NodeIndex v = g.edge_target(e);
      if (v == g.root || s.distance(v) == kNoDistance) continue;
      if (!is_closer_retainer(s, u, v) || !is_path_edge(s, u, e)) continue;
      PathParent& best = parents[v];
      const int pref = edge_preference(g, e);
      if (best.edge.is_none()) {
        best = {e, u};
        continue;
      }
      const int best_pref = edge_preference(g, best.edge);
      if (pref < best_pref || (pref == best_pref && g.node_id[u] < g.node_id[best.owner])) best = {e, u};
    }
  }
  return parents;
}

PathShapes::PathShapes(const Snapshot& s, StepTable& steps)
    : s_(s), steps_(steps), parents_(shortest_path_parents(s)), step_of_node_(s.graph().node_count) {}

size_t PathShapes::StepPartsHash::operator()(const StepParts& p) const {
  return std::hash<uint64_t>()(p.edge * 0x9e3779b97f4a7c15ull ^ p.target_class);
}

StepId PathShapes::step_into(NodeIndex n) {
  StepId& memo = step_of_node_[n];
  if (!memo) {
    const NodeIndex owner = holder(n);
    const EdgeIndex e = parents_[n].edge;
    if (owner == s_.graph().root) {
      memo = 1 + steps_.intern(display_class(s_, n));
    } else if (const EdgeForm form = edge_form(s_, e, owner); const auto parts = step_parts(s_, e, form)) {
      auto [it, added] = step_of_parts_.try_emplace({parts->first, parts->second}, 0);
      if (added) it->second = steps_.intern(step_text(s_, e, form));
      memo = 1 + it->second;
    } else {
      memo = 1 + steps_.intern(step_text(s_, e, form));
    }
  }
  return memo - 1;
}

ShapeIds PathShapes::raw_steps(NodeIndex n, RetainerPath* path) {
  const HeapGraph& g = s_.graph();
  std::vector<EdgeIndex> edges;
  for (NodeIndex v = n; v != g.root && !parents_[v].edge.is_none() && edges.size() < 100000; v = holder(v))
    edges.push_back(parents_[v].edge);
  std::reverse(edges.begin(), edges.end());
  ShapeIds steps;
  steps.reserve(edges.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    const NodeIndex to = g.edge_target(edges[i]);
    // The first step names the root's child by its class, even on a path
    // cut short before the root.
    const bool cut_short = i == 0 && g.edge_owner(edges[0]) != g.root;
    steps.push_back({cut_short ? steps_.intern(display_class(s_, to)) : step_into(to)});
  }
  if (path) *path = std::move(edges);
  return steps;
}

ShapeIds PathShapes::shape(NodeIndex n, RetainerPath* path) {
  ShapeIds steps = raw_steps(n, path);
  collapse_repeats(steps);
  return steps;
}

std::vector<ShapeStep> PathShapes::texts(const ShapeIds& shape) const {
  std::vector<ShapeStep> out;
  out.reserve(shape.size());
  for (const auto& step : shape) out.push_back({steps_.text(step.step), step.repeated});
  return out;
}

std::string shape_text(const std::vector<ShapeStep>& shape) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += " › ";
    out += shape[i].repeated ? "(" + shape[i].text + ")…" : shape[i].text;
  }
  return out;
}

}  // namespace heapwise
