// Leak groups (see leak_groups.h).
#include "analysis/leak_groups.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "analysis/distances.h"
#include "analysis/heap_text.h"
#include "analysis/object_kinds.h"
#include "analysis/snapshot_diff.h"

namespace heapwise {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string step_text(const Snapshot& s, EdgeIndex e, NodeIndex owner) {
  const HeapGraph& g = s.graph();
  const NodeIndex to = g.edge_target(e);
  const int t = g.edge_type_of(e);
  std::string edge;
  if (t == g.edge_types.element || t == g.edge_types.hidden) {
    edge = "[]";
  } else if (t == g.edge_types.internal && all_digits(g.strings[g.edge_name[e]])) {
    edge = "[] (internal)";                                                   // hash table slots (Map, Set)
  } else if (t == g.edge_types.property && is_dictionary_object(s, owner)) {  // its names are data
    edge = "[key]";
  } else {
    edge = edge_label(s, e);
  }
  return edge + ": " + display_class(s, to);
}

// Replaces runs of a repeated block of 1-4 steps by one marked block.
void collapse_repeats(std::vector<ShapeStep>& steps) {
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 1; k <= 4 && !changed; ++k) {
      for (size_t i = 0; i + 2 * k <= steps.size(); ++i) {
        bool same = true;
        for (size_t j = 0; j < k && same; ++j) same = steps[i + j].text == steps[i + k + j].text;
        if (!same) continue;
        for (size_t j = 0; j < k; ++j) steps[i + j].repeated = true;
        steps.erase(steps.begin() + static_cast<ptrdiff_t>(i + k), steps.begin() + static_cast<ptrdiff_t>(i + 2 * k));
        changed = true;
        break;
      }
    }
  }
}

}  // namespace

double LeakGroup::objects_per_step() const {
  if (population.size() < 2) return 0;
  return (static_cast<double>(population.back()) - static_cast<double>(population.front())) /
         static_cast<double>(population.size() - 1);
}

double LeakGroup::bytes_per_step() const {
  if (population_bytes.size() < 2) return 0;
  return (static_cast<double>(population_bytes.back()) - static_cast<double>(population_bytes.front())) /
         static_cast<double>(population_bytes.size() - 1);
}

bool LeakAnalysis::passes(const LeakGroup& g, const LeakAnalysisOptions& o) const {
  if (!g.grows || g.population_bytes.size() < 2) return false;
  const uint64_t first = g.population_bytes.front(), last = g.population_bytes.back();
  return last > first && last - first >= o.min_size;
}

bool is_user_object(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  const int t = g.node_type[n];
  if (t == g.node_types.string || t == g.node_types.cons_string || t == g.node_types.sliced_string) return true;
  if (t != g.node_types.object && t != g.node_types.closure && t != g.node_types.regexp) return false;
  std::string_view cls = s.class_name(n);
  return !(cls.rfind("system / ", 0) == 0 || (!cls.empty() && cls[0] == '('));
}

BigArray<EdgeIndex> shortest_path_parents(const Snapshot& s) {
  const HeapGraph& g = s.graph();
  const RetainerIndex& r = s.retainers();
  BigArray<EdgeIndex> parents(g.node_count);
  parents.fill(EdgeIndex::none());
  for (NodeIndex v = 0; v < g.node_count; ++v) {
    if (v == g.root || s.distance(v) == kNoDistance) continue;
    EdgeIndex best = EdgeIndex::none();
    int best_pref = 0;
    uint32_t best_owner_id = 0;
    for (uint32_t i = r.begin(v); i < r.end(v); ++i) {
      const NodeIndex u = r.owner(i);
      const EdgeIndex e = r.edge(i);
      if (!is_closer_retainer(s, u, v) || !is_path_edge(s, u, e)) continue;
      const int pref = edge_preference(g, e);
      if (best.is_none() || pref < best_pref || (pref == best_pref && g.node_id[u] < best_owner_id)) {
        best = e;
        best_pref = pref;
        best_owner_id = g.node_id[u];
      }
    }
    parents[v] = best;
  }
  return parents;
}

namespace {

// The path's steps from the root, before repeats are collapsed.
std::vector<ShapeStep> raw_steps(const Snapshot& s, const BigArray<EdgeIndex>& parents, NodeIndex n,
                                 RetainerPath* path) {
  const HeapGraph& g = s.graph();
  std::vector<EdgeIndex> edges;
  for (NodeIndex v = n; v != g.root && !parents[v].is_none() && edges.size() < 100000;) {
    edges.push_back(parents[v]);
    v = g.edge_owner(parents[v]);
  }
  std::reverse(edges.begin(), edges.end());
  std::vector<ShapeStep> steps;
  for (size_t i = 0; i < edges.size(); ++i) {
    const NodeIndex to = g.edge_target(edges[i]);
    if (i == 0) {
      steps.push_back({display_class(s, to)});
    } else {
      steps.push_back({step_text(s, edges[i], g.edge_owner(edges[i]))});
    }
  }
  if (path) *path = std::move(edges);
  return steps;
}

}  // namespace

std::vector<ShapeStep> path_shape(const Snapshot& s, const BigArray<EdgeIndex>& parents, NodeIndex n,
                                  RetainerPath* path) {
  auto steps = raw_steps(s, parents, n, path);
  collapse_repeats(steps);
  return steps;
}

std::string shape_key(const std::vector<ShapeStep>& shape) {
  // A repeated block stands for "a chain of some links": its content is left
  // out of the key, so a doubly linked list walked either way is one shape.
  std::string key;
  bool in_chain = false;
  for (const auto& step : shape) {
    if (step.repeated) {
      if (!in_chain) key += "…\x1f";
      in_chain = true;
      continue;
    }
    in_chain = false;
    key += step.text + "\x1f";
  }
  return key;
}

std::string shape_text(const std::vector<ShapeStep>& shape) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += " › ";
    out += shape[i].repeated ? "(" + shape[i].text + ")…" : shape[i].text;
  }
  return out;
}

LeakAnalysis analyse_leaks(const std::vector<const Snapshot*>& snapshots, const LeakAnalysisOptions& options) {
  LeakAnalysis out;
  const Snapshot& base = *snapshots.front();
  const Snapshot& last = *snapshots.back();
  const HeapGraph& g = last.graph();

  // Leaked: allocated after the baseline, already there in the target, and
  // alive in every snapshot since (with two snapshots: new in the second).
  const auto base_ids = sorted_ids(base.graph());
  std::vector<std::vector<uint32_t>> middle_ids;
  for (size_t i = 1; i + 1 < snapshots.size(); ++i) middle_ids.push_back(sorted_ids(snapshots[i]->graph()));
  // The target's ids are sorted once, for both questions.
  out.shared_id_fraction =
      shared_id_fraction(base.graph(), middle_ids.empty() ? sorted_ids(snapshots[1]->graph()) : middle_ids.front());
  BigArray<uint8_t> candidate(g.node_count);
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    // Reachable from any root: in Node, module scopes are often held only by
    // the stack or by handles of the event loop (system roots), not by `global`.
    if (last.distance(n) < 0 || !is_user_object(last, n)) continue;
    const uint32_t id = g.node_id[n];
    if (has_id(base_ids, id)) continue;
    bool alive = true;
    for (const auto& ids : middle_ids) alive = alive && has_id(ids, id);
    if (alive) candidate[n] = 1;
  }

  // Keep the outermost leaked objects: the ones no other leaked object
  // dominates (a leaked Session counts for its cart and its strings).
  const DominatorTree& tree = last.dominator_tree();
  std::vector<NodeIndex> top_level;
  struct Item {
    NodeIndex node;
    bool covered;
  };
  std::vector<Item> stack{{g.root, false}};
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    const bool here = candidate[it.node] != 0;
    if (here && !it.covered) top_level.push_back(it.node);
    for (uint32_t c = tree.first_child[it.node]; c < tree.first_child[it.node + 1]; ++c)
      stack.push_back({tree.children[c], it.covered || here});
  }
  out.candidates = top_level.size();

  // Group by path shape in the final snapshot.
  const auto parents = shortest_path_parents(last);
  const HeapGraph& lg = last.graph();
  std::unordered_map<std::string, size_t> group_of;
  // The same holder (by V8 id) and last step also name a group: a snapshot
  // taken while a callback runs (the inspector interrupts JS) can reach the
  // same collection by another shortest route, e.g. through the async
  // resource stack instead of the timer list, and its shape then differs.
  std::unordered_map<std::string, size_t> group_of_holder;
  for (NodeIndex n : top_level) {
    RetainerPath path;
    auto shape = path_shape(last, parents, n, &path);
    if (path.empty()) continue;
    const std::string key = shape_key(shape);
    auto [it, inserted] = group_of.try_emplace(key, out.groups.size());
    const NodeIndex holder = lg.edge_owner(parents[n]);
    if (holder != lg.root)
      group_of_holder.try_emplace(std::to_string(lg.node_id[holder]) + "|" + shape.back().text, it->second);
    if (inserted) {
      LeakGroup grp;
      grp.key = key;
      grp.shape = std::move(shape);
      grp.leaked_class = std::string(last.class_name(n));
      out.groups.push_back(std::move(grp));
    }
    LeakGroup& grp = out.groups[it->second];
    ++grp.count;
    grp.retained_size += last.retained_size(n);
    if (grp.example.is_none() || last.retained_size(n) > last.retained_size(grp.example)) {
      grp.example = n;
      grp.example_path = std::move(path);
    }
  }

  // Population of each shape in every snapshot (old objects too): a leak
  // grows at each step, a bounded cache or a churning pool does not.
  // Only groups that could pass are followed, and only objects whose last
  // step matches one of theirs are walked up to the root.
  std::unordered_set<std::string> classes, last_steps;
  for (const auto& grp : out.groups) {
    if (grp.retained_size * 2 < options.min_size) continue;
    classes.insert(grp.leaked_class);
    last_steps.insert(grp.shape.back().text);
  }
  for (auto& grp : out.groups) {
    grp.population.assign(snapshots.size(), 0);
    grp.population_bytes.assign(snapshots.size(), 0);
  }
  for (size_t i = 0; i < snapshots.size() && !out.groups.empty(); ++i) {
    const Snapshot& s = *snapshots[i];
    const HeapGraph& sg = s.graph();
    const auto sp = &s == &last ? BigArray<EdgeIndex>() : shortest_path_parents(s);
    const BigArray<EdgeIndex>& p = &s == &last ? parents : sp;
    std::vector<int8_t> class_wanted;
    auto wanted = [&](NodeIndex n) {
      if (s.distance(n) < 0 || p[n].is_none()) return false;
      const uint32_t c = s.class_index(n);
      if (c >= class_wanted.size()) class_wanted.resize(c + 1, -1);
      if (class_wanted[c] < 0) class_wanted[c] = classes.count(std::string(s.class_name(n))) ? 1 : 0;
      return class_wanted[c] && is_user_object(s, n);
    };
    // Objects of a group share their holder (a Map's table, an array): for
    // holders of several wanted objects, remember the answer per holder and
    // last step instead of walking the same path again.
    BigArray<uint8_t> children_wanted(sg.node_count);
    for (NodeIndex n = 0; n < sg.node_count; ++n) {
      if (!wanted(n)) continue;
      uint8_t& c = children_wanted[sg.edge_owner(p[n])];
      if (c < 2) ++c;
    }
    std::unordered_map<std::string, int64_t> by_holder;  // "owner id|step" -> group or -1
    for (NodeIndex n = 0; n < sg.node_count; ++n) {
      if (!wanted(n)) continue;
      const NodeIndex owner = sg.edge_owner(p[n]);
      const std::string last = owner == sg.root ? display_class(s, n) : step_text(s, p[n], owner);
      if (!last_steps.count(last)) continue;
      int64_t group = -1;
      std::string memo_key;
      bool memoized = false;
      if (children_wanted[owner] >= 2) {
        memo_key = std::to_string(owner) + "|" + last;
        auto m = by_holder.find(memo_key);
        if (m != by_holder.end()) {
          group = m->second;
          memoized = true;
        }
      }
      if (!memoized) {
        std::vector<ShapeStep> steps = owner == sg.root ? std::vector<ShapeStep>{} : raw_steps(s, p, owner, nullptr);
        steps.push_back({last});
        collapse_repeats(steps);
        if (auto it = group_of.find(shape_key(steps)); it != group_of.end()) {
          group = static_cast<int64_t>(it->second);
        } else if (owner != sg.root) {
          auto h = group_of_holder.find(std::to_string(sg.node_id[owner]) + "|" + last);
          if (h != group_of_holder.end()) group = static_cast<int64_t>(h->second);
        }
        if (children_wanted[owner] >= 2) by_holder.emplace(std::move(memo_key), group);
      }
      if (group < 0) continue;
      ++out.groups[static_cast<size_t>(group)].population[i];
      out.groups[static_cast<size_t>(group)].population_bytes[i] += s.retained_size(n);
    }
  }
  for (auto& grp : out.groups) {
    grp.grows = true;
    for (size_t i = 1; i < grp.population.size(); ++i)
      grp.grows = grp.grows && grp.population[i] > grp.population[i - 1];
  }
  std::stable_sort(out.groups.begin(), out.groups.end(), [&](const LeakGroup& a, const LeakGroup& b) {
    const bool pa = out.passes(a, options), pb = out.passes(b, options);
    if (pa != pb) return pa;
    if (a.bytes_per_step() != b.bytes_per_step()) return a.bytes_per_step() > b.bytes_per_step();
    return a.retained_size > b.retained_size;
  });
  return out;
}

}  // namespace heapwise
