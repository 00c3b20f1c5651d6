// Leak groups (see leak_groups.h).
#include "analysis/leak_groups.h"

#include <algorithm>
#include <cctype>
#include <future>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "analysis/path_shape.h"
#include "graph/id_set.h"

namespace heapwise {

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

uint64_t LeakGroup::least_step_gain() const {
  uint64_t least = UINT64_MAX;
  for (size_t i = 1; i < population.size(); ++i)
    least = std::min(least, population[i] > population[i - 1] ? population[i] - population[i - 1] : 0);
  return population.size() < 2 ? 0 : least;
}

bool LeakGroup::steady() const {
  if (population.size() < 3 || !grows) return false;
  uint64_t most = 0;
  for (size_t i = 1; i < population.size(); ++i) most = std::max(most, population[i] - population[i - 1]);
  return least_step_gain() * 2 >= most;
}

bool LeakAnalysis::passes(const LeakGroup& g, const LeakAnalysisOptions& o) const {
  if (!g.grows || g.population_bytes.size() < 2) return false;
  const uint64_t first = g.population_bytes.front(), last = g.population_bytes.back();
  if (last > first && last - first >= o.min_size) return true;
  return g.steady() && g.least_step_gain() >= o.min_steady_objects;
}

bool is_user_object(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  const int t = g.node_type[n];
  if (t == g.node_types.string || t == g.node_types.cons_string || t == g.node_types.sliced_string) return true;
  // Browsers merge a DOM element's JS wrapper into its native node: a
  // detached element is the program's object (Node.js marks its own
  // embedder objects, "Node / ...", detached too).
  if (t == g.node_types.native) {
    if (s.dom_state(n) != static_cast<uint8_t>(DomLinkState::kDetached)) return false;
    const std::string_view cls = s.class_name(n);
    return cls.rfind("Node / ", 0) != 0 && cls.rfind("Detached Node / ", 0) != 0;
  }
  if (t != g.node_types.object && t != g.node_types.closure && t != g.node_types.regexp) return false;
  const std::string_view cls = s.class_name(n);
  return !(cls.rfind("system / ", 0) == 0 || (!cls.empty() && cls[0] == '('));
}

namespace {

// Phase 1. Leaked: allocated after the baseline, already there in the
// target, and alive in every snapshot since (with two snapshots: new in the
// second), and reachable from some root (in node, module scopes are often
// held only by the stack or by event-loop handles, not by `global`).
BigArray<uint8_t> leaked_objects(const std::vector<const Snapshot*>& snapshots, double* shared_id_fraction_out) {
  const Snapshot& base = *snapshots.front();
  const Snapshot& last = *snapshots.back();
  const HeapGraph& g = last.graph();
  const IdSet base_ids(base.graph());
  std::vector<IdSet> middle_ids;
  for (size_t i = 1; i + 1 < snapshots.size(); ++i) middle_ids.emplace_back(snapshots[i]->graph());
  // The target's ids are gathered once, for both questions.
  *shared_id_fraction_out = middle_ids.empty() ? shared_id_fraction(base.graph(), IdSet(snapshots[1]->graph()))
                                               : shared_id_fraction(base.graph(), middle_ids.front());
  BigArray<uint8_t> leaked(g.node_count);
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    if (last.distance(n) < 0 || !is_user_object(last, n)) continue;
    const uint32_t id = g.node_id[n];
    if (base_ids.contains(id)) continue;
    bool alive = true;
    for (const IdSet& ids : middle_ids) alive = alive && ids.contains(id);
    if (alive) leaked[n] = 1;
  }
  return leaked;
}

// Phase 2. The outermost leaked objects: those no other leaked object
// dominates (a leaked Session counts for its cart and its strings).
std::vector<NodeIndex> outermost(const Snapshot& last, const BigArray<uint8_t>& leaked) {
  const DominatorTree& tree = last.dominator_tree();
  std::vector<NodeIndex> top_level;
  struct Item {
    NodeIndex node;
    bool covered;
  };
  std::vector<Item> stack{{last.graph().root, false}};
  while (!stack.empty()) {
    const Item it = stack.back();
    stack.pop_back();
    const bool here = leaked[it.node] != 0;
    if (here && !it.covered) top_level.push_back(it.node);
    for (uint32_t c = tree.first_child[it.node]; c < tree.first_child[it.node + 1]; ++c)
      stack.push_back({tree.children[c], it.covered || here});
  }
  return top_level;
}

// (holder id or node, last step) in one number, for the lookups below.
uint64_t holder_step(uint32_t holder, StepId step) { return (uint64_t{holder} << 32) | step; }

// How objects find their group.
struct GroupIndex {
  std::unordered_map<ShapeKey, size_t> by_shape;
  // The same holder (by V8 id) and last step also name a group: a snapshot
  // taken while a callback runs (the inspector interrupts JS) can reach the
  // same collection by another shortest route, e.g. through the async
  // resource stack instead of the timer list, and its shape then differs.
  std::unordered_map<uint64_t, size_t> by_holder_step;
  std::vector<StepId> last_step;  // of each group
};

// Phase 3. Groups the outermost leaked objects by their shape in the final snapshot.
GroupIndex group_by_shape(PathShapes& last, const std::vector<NodeIndex>& objects, LeakAnalysis& out) {
  const Snapshot& s = last.snapshot();
  const HeapGraph& g = s.graph();
  GroupIndex index;
  // Per group: leaked objects per allocation trace node.
  std::vector<std::unordered_map<uint32_t, uint64_t>> traces;
  const bool traced = !g.trace_node_id.empty();
  for (NodeIndex n : objects) {
    RetainerPath path;
    ShapeIds shape = last.shape(n, &path);
    if (path.empty()) continue;
    auto [it, inserted] = index.by_shape.try_emplace(shape_key(shape), out.groups.size());
    const NodeIndex holder = last.holder(n);
    if (holder != g.root)
      index.by_holder_step.try_emplace(holder_step(g.node_id[holder], shape.back().step), it->second);
    if (inserted) {
      LeakGroup grp;
      grp.shape = last.texts(shape);
      grp.leaked_class = std::string(s.class_name(n));
      out.groups.push_back(std::move(grp));
      index.last_step.push_back(shape.back().step);
    }
    LeakGroup& grp = out.groups[it->second];
    if (traced && g.trace_node_id[n] != 0) {
      traces.resize(out.groups.size());
      ++traces[it->second][g.trace_node_id[n]];
      ++grp.traced;
    }
    ++grp.count;
    grp.retained_size += s.retained_size(n);
    if (grp.example.is_none() || s.retained_size(n) > s.retained_size(grp.example)) {
      grp.example = n;
      grp.example_path = std::move(path);
    }
  }
  for (size_t k = 0; k < traces.size(); ++k) {
    auto& sites = out.groups[k].allocation_traces;
    sites.assign(traces[k].begin(), traces[k].end());
    std::sort(sites.begin(), sites.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (sites.size() > LeakGroup::kAllocationSitesKept) sites.resize(LeakGroup::kAllocationSitesKept);
  }
  return index;
}

// The bytes of each group in snapshot i: the retained sizes of its members
// that no other member of the same group dominates. A linked list's entry
// retains the rest of the list; counting every entry's retained size would
// count the list once per entry (a 5 MB heap reported as gigabytes). One
// walk down the dominator tree, keeping per group how many of the current
// node's dominators are its members.
void add_outermost_bytes(const Snapshot& s, const std::vector<int32_t>& member_of, size_t i, LeakAnalysis& out) {
  const DominatorTree& tree = s.dominator_tree();
  std::vector<uint32_t> members_above(out.groups.size(), 0);
  struct Visit {
    NodeIndex node;
    bool leaving;
  };
  std::vector<Visit> stack{{s.graph().root, false}};
  while (!stack.empty()) {
    const Visit v = stack.back();
    stack.pop_back();
    const int32_t group = member_of[v.node];
    if (v.leaving) {
      --members_above[static_cast<size_t>(group)];
      continue;
    }
    if (group >= 0) {
      if (members_above[static_cast<size_t>(group)]++ == 0)
        out.groups[static_cast<size_t>(group)].population_bytes[i] += s.retained_size(v.node);
      stack.push_back({v.node, true});
    }
    for (uint32_t c = tree.first_child[v.node]; c < tree.first_child[v.node + 1]; ++c)
      stack.push_back({tree.children[c], false});
  }
}

// The path shapes of the snapshots before the last, each found on another
// thread one snapshot ahead of the counting that needs it (building them
// interns no steps), so at most two are alive.
class EarlierShapes {
 public:
  EarlierShapes(const std::vector<const Snapshot*>& snapshots, StepTable& steps)
      : snapshots_(snapshots), steps_(steps) {
    start(0);
  }
  // Snapshot i's shapes (i before the last); starts on the next one's.
  std::unique_ptr<PathShapes> take(size_t i) {
    std::unique_ptr<PathShapes> shapes = next_.get();
    start(i + 1);
    return shapes;
  }

 private:
  void start(size_t i) {
    if (i + 1 < snapshots_.size())
      next_ =
          std::async(std::launch::async, [this, i] { return std::make_unique<PathShapes>(*snapshots_[i], steps_); });
  }

  const std::vector<const Snapshot*>& snapshots_;
  StepTable& steps_;
  std::future<std::unique_ptr<PathShapes>> next_;
};

// Phase 4. The population of each group in every snapshot (old objects
// too): a leak grows at each step, a bounded cache or a churning pool does
// not. Only groups that could pass are followed, and only objects whose
// last step is one of theirs are walked up to the root.
void count_populations(const std::vector<const Snapshot*>& snapshots, PathShapes& last_shapes,
                       EarlierShapes& earlier_shapes, const GroupIndex& index, const LeakAnalysisOptions& options,
                       LeakAnalysis& out) {
  std::unordered_set<std::string> classes;
  std::unordered_set<StepId> last_steps;
  for (size_t k = 0; k < out.groups.size(); ++k) {
    if (out.groups[k].retained_size * 2 < options.min_size && out.groups[k].count < options.min_steady_objects)
      continue;
    classes.insert(out.groups[k].leaked_class);
    last_steps.insert(index.last_step[k]);
  }
  for (auto& grp : out.groups) {
    grp.population.assign(snapshots.size(), 0);
    grp.population_bytes.assign(snapshots.size(), 0);
  }
  for (size_t i = 0; i < snapshots.size() && !out.groups.empty(); ++i) {
    // An earlier snapshot's paths live while it is counted (the next one's
    // are being found meanwhile): they are the big part.
    std::unique_ptr<PathShapes> earlier;
    if (i + 1 < snapshots.size()) earlier = earlier_shapes.take(i);
    PathShapes& paths = earlier ? *earlier : last_shapes;
    const Snapshot& s = paths.snapshot();
    const HeapGraph& g = s.graph();
    std::vector<int8_t> class_wanted;
    auto wanted = [&](NodeIndex n) {
      if (s.distance(n) < 0 || !paths.reachable(n)) return false;
      const uint32_t c = s.class_index(n);
      if (c >= class_wanted.size()) class_wanted.resize(c + 1, -1);
      if (class_wanted[c] < 0) class_wanted[c] = classes.count(std::string(s.class_name(n))) ? 1 : 0;
      return class_wanted[c] && is_user_object(s, n);
    };
    // Objects of a group share their holder (a Map's table, an array): for
    // holders of several wanted objects, the answer is remembered per
    // holder and last step instead of walking the same path again.
    BigArray<uint8_t> children_wanted(g.node_count);
    for (NodeIndex n = 0; n < g.node_count; ++n) {
      if (!wanted(n)) continue;
      uint8_t& c = children_wanted[paths.holder(n)];
      if (c < 2) ++c;
    }
    std::unordered_map<uint64_t, int64_t> group_of_holder_step;  // -1: none
    std::vector<int32_t> member_of(g.node_count, -1);            // the group of each counted object
    for (NodeIndex n = 0; n < g.node_count; ++n) {
      if (!wanted(n)) continue;
      const NodeIndex owner = paths.holder(n);
      const StepId last = paths.step_into(n);
      if (!last_steps.count(last)) continue;
      const bool shared_holder = children_wanted[owner] >= 2;
      auto memo = shared_holder ? group_of_holder_step.find(holder_step(owner, last)) : group_of_holder_step.end();
      int64_t group = -1;
      if (memo != group_of_holder_step.end()) {
        group = memo->second;
      } else {
        ShapeIds steps = owner == g.root ? ShapeIds{} : paths.raw_steps(owner);
        steps.push_back({last});
        collapse_repeats(steps);
        if (auto it = index.by_shape.find(shape_key(steps)); it != index.by_shape.end()) {
          group = static_cast<int64_t>(it->second);
        } else if (owner != g.root) {
          auto h = index.by_holder_step.find(holder_step(g.node_id[owner], last));
          if (h != index.by_holder_step.end()) group = static_cast<int64_t>(h->second);
        }
        if (shared_holder) group_of_holder_step.emplace(holder_step(owner, last), group);
      }
      if (group < 0) continue;
      ++out.groups[static_cast<size_t>(group)].population[i];
      member_of[n] = static_cast<int32_t>(group);
    }
    add_outermost_bytes(s, member_of, i, out);
  }
  for (auto& grp : out.groups) {
    grp.grows = true;
    for (size_t i = 1; i < grp.population.size(); ++i)
      grp.grows = grp.grows && grp.population[i] > grp.population[i - 1];
  }
}

// Phase 5. Groups that pass first, then by growth per step, then by size.
void rank(LeakAnalysis& out, const LeakAnalysisOptions& options) {
  std::stable_sort(out.groups.begin(), out.groups.end(), [&](const LeakGroup& a, const LeakGroup& b) {
    const bool pa = out.passes(a, options), pb = out.passes(b, options);
    if (pa != pb) return pa;
    if (a.bytes_per_step() != b.bytes_per_step()) return a.bytes_per_step() > b.bytes_per_step();
    return a.retained_size > b.retained_size;
  });
}

}  // namespace

LeakAnalysis analyse_leaks(const std::vector<const Snapshot*>& snapshots, const LeakAnalysisOptions& options) {
  LeakAnalysis out;
  const Snapshot& last = *snapshots.back();
  const BigArray<uint8_t> leaked = leaked_objects(snapshots, &out.shared_id_fraction);
  const std::vector<NodeIndex> objects = outermost(last, leaked);
  out.candidates = objects.size();

  StepTable steps;
  EarlierShapes earlier_shapes(snapshots, steps);
  PathShapes last_shapes(last, steps);
  const GroupIndex index = group_by_shape(last_shapes, objects, out);
  count_populations(snapshots, last_shapes, earlier_shapes, index, options, out);
  rank(out, options);
  return out;
}

}  // namespace heapwise
