// Detector helpers (see path_view.h).
#include "patterns/path_view.h"

#include <cmath>

#include "analysis/heap_text.h"
#include "util/format.h"

namespace heapwise {

std::vector<PathStep> path_steps(const Snapshot& s, const RetainerPath& path) {
  const HeapGraph& g = s.graph();
  std::vector<PathStep> out;
  for (EdgeIndex e : path) {
    const NodeIndex to = g.edge_target(e);
    out.push_back({e, g.edge_owner(e), to, g.edge_name_text(e), g.edge_type_of(e), std::string(s.class_name(to))});
  }
  return out;
}

uint64_t entry_count(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  uint64_t count = 0;
  auto count_children = [&](NodeIndex x, bool elements_only) {
    for (EdgeIndex e : g.edges_of(x)) {
      const int t = g.edge_type_of(e);
      if (elements_only ? t == g.edge_types.element : (t == g.edge_types.internal || t == g.edge_types.element)) {
        const int tt = g.node_type[g.edge_target(e)];
        if (tt != g.node_types.hidden && tt != g.node_types.object_shape && tt != g.node_types.code) ++count;
      }
    }
  };
  if (is_map_or_set(s, n)) {
    for (EdgeIndex e : g.edges_of(n))
      if (g.edge_has_string_name(e) && g.strings[g.edge_name[e]] == "table") count_children(g.edge_target(e), false);
    return count;
  }
  if (is_array(s, n)) {
    count_children(n, true);
    return count;
  }
  return property_count(s, n);
}

int last_collection_step(const Snapshot& s, const std::vector<PathStep>& steps) {
  for (int i = static_cast<int>(steps.size()) - 2; i >= 0; --i) {
    const NodeIndex n = steps[static_cast<size_t>(i)].to;
    if (is_map_or_set(s, n) || is_array(s, n) || is_dictionary_object(s, n)) return i;
  }
  return -1;
}

std::optional<CollectionHolder> collection_holder(const Snapshot& s, const LeakGroup& g) {
  CollectionHolder h;
  h.steps = path_steps(s, g.example_path);
  h.step = last_collection_step(s, h.steps);
  if (h.step < 0) return std::nullopt;
  h.node = h.steps[static_cast<size_t>(h.step)].to;
  h.name = holder_name(h.steps, h.step);
  return h;
}

void for_each_named_collection(const Snapshot& s, uint64_t min_retained,
                               const std::function<void(NodeIndex, const std::string&)>& fn) {
  const HeapGraph& g = s.graph();
  for (EdgeIndex e = 0; e < g.edge_count; ++e) {
    const int t = g.edge_type_of(e);
    if (t != g.edge_types.property && t != g.edge_types.context) continue;
    const NodeIndex n = g.edge_target(e);
    if (s.retained_size(n) < min_retained) continue;
    if (!is_map_or_set(s, n) && !is_array(s, n) && !is_dictionary_object(s, n)) continue;
    fn(n, std::string(g.strings[g.edge_name[e]]));
  }
}

std::string holder_name(const std::vector<PathStep>& steps, int i) {
  for (int k = i; k >= 0; --k) {
    const PathStep& st = steps[static_cast<size_t>(k)];
    if (k == 0) return st.to_class;
    if (st.edge_name == "table" || st.edge_name == "elements" || st.edge_name == "properties") continue;
    if (!st.edge_name.empty() && !(st.edge_name[0] >= '0' && st.edge_name[0] <= '9') && st.edge_name != "context")
      return st.edge_name;
  }
  return "";
}

std::string created_at(const Snapshot& s, NodeIndex n) {
  SourceLocation loc;
  return source_location(s, n, &loc) ? location_text(loc) : "";
}

std::string growth_text(const LeakGroup& g) {
  std::string out = "+" + format_size(static_cast<uint64_t>(std::llround(std::max(0.0, g.bytes_per_step())))) +
                    " and +" + format_count(static_cast<uint64_t>(std::llround(std::max(0.0, g.objects_per_step())))) +
                    " objects per snapshot; " + format_count(g.population.back()) + " now (" +
                    format_size(g.population_bytes.back()) + ")";
  return out;
}

Finding group_verdict(const char* pattern, const LeakGroup& g, std::string title, std::string what, const char* fix,
                      const char* example) {
  Finding f;
  f.pattern = pattern;
  f.title = std::move(title);
  f.what = std::move(what);
  f.where = shape_text(g.shape);
  f.how_big = growth_text(g);
  f.fix = fix;
  f.example = example ? example : "";
  f.node = g.example;
  f.size = g.population_bytes.empty() ? 0 : g.population_bytes.back();
  return f;
}

Finding snapshot_finding(const char* pattern, NodeIndex n, uint64_t size, std::string title, std::string what,
                         std::string how_big, const char* fix, const char* example) {
  Finding f;
  f.pattern = pattern;
  f.title = std::move(title);
  f.what = std::move(what);
  f.how_big = std::move(how_big);
  f.fix = fix;
  f.example = example ? example : "";
  f.node = n;
  f.size = size;
  return f;
}

}  // namespace heapwise
