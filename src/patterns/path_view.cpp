// Detector helpers (see path_view.h).
#include "patterns/path_view.h"

#include <cctype>
#include <cmath>

#include "analysis/declarations.h"
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
    // Elements in a separate backing store (an "elements" array) count as the array's.
    if (count == 0)
      for (EdgeIndex e : g.edges_of(n))
        if (g.edge_has_string_name(e) && g.strings[g.edge_name[e]] == "elements")
          count_children(g.edge_target(e), false);
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

std::string collection_kind(const Snapshot& s, NodeIndex n) {
  if (is_map_or_set(s, n)) return std::string(s.class_name(n));
  if (is_array(s, n)) return "Array";
  return "object used as a dictionary";
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

namespace {

// Node's global object ("global", "global / "), a page's window ("Window / URL").
bool is_global_object(const std::string& cls) {
  return cls == "global" || cls.rfind("global /", 0) == 0 || cls.rfind("Window", 0) == 0;
}

// The step that reaches the global object from which steps up to `k` are
// all named properties (globalThis.a.b), or -1.
int global_chain_start(const std::vector<PathStep>& steps, int k, const HeapGraph& g) {
  for (int j = k; j >= 1; --j) {
    const PathStep& st = steps[static_cast<size_t>(j)];
    if (st.edge_type != g.edge_types.property) return -1;
    if (is_global_object(steps[static_cast<size_t>(j - 1)].to_class)) return j - 1;
  }
  return -1;
}

// The step whose edge gives the holder at step i its name (see holder_name).
int naming_step(const std::vector<PathStep>& steps, int i) {
  const std::string name = holder_name(steps, i);
  for (int k = i; k >= 0; --k)
    if (steps[static_cast<size_t>(k)].edge_name == name) return k;
  return i;
}

}  // namespace

std::string reached_through(const std::vector<PathStep>& steps, int i) {
  for (int j = i - 1; j >= 1; --j) {
    const PathStep& st = steps[static_cast<size_t>(j)];
    const PathStep& before = steps[static_cast<size_t>(j - 1)];
    if (before.edge_name == "_events" && j >= 2)
      return std::string(st.to_class == "Array" ? "a '" : "the '") + st.edge_name + "' listener of " +
             steps[static_cast<size_t>(j - 2)].to_class;
    if (st.edge_name == "_onTimeout") return "a timer callback (setTimeout/setInterval)";
  }
  // No listener or timer on the way: the last names, up to three.
  std::vector<std::string> names;
  for (int j = i - 1; j >= 0 && names.size() < 3; --j) {
    const PathStep& st = steps[static_cast<size_t>(j)];
    if (st.edge_name.empty() || std::isdigit(static_cast<unsigned char>(st.edge_name[0])) ||
        st.edge_name == "context" || st.edge_name == "table" || st.edge_name == "elements" ||
        st.edge_name == "properties" || st.edge_name == "map" || st.edge_name == "shared")
      continue;
    names.insert(names.begin(), st.edge_name);
  }
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " › ") + n;
  return out;
}

void name_holder(Finding& f, const Snapshot& s, const std::vector<PathStep>& steps, int i) {
  if (i < 0 || static_cast<size_t>(i) >= steps.size()) return;
  f.name = holder_name(steps, i);
  f.holder = steps[static_cast<size_t>(i)].to;
  const int k = naming_step(steps, i);
  const PathStep& named = steps[static_cast<size_t>(k)];
  f.reached_through = reached_through(steps, k);
  const HeapGraph& g = s.graph();
  if (named.edge_type == g.edge_types.context) {
    if (const auto at = closure_variable_declaration(s, named.from, f.name)) f.declared_at = location_text(*at);
  } else if (named.edge_type == g.edge_types.property && g.node_type[named.from] == g.node_types.closure) {
    // A static field of a class (or a property of a function): Widget.instances.
    if (const auto at = property_declaration(s, named.from, f.name)) f.declared_at = location_text(*at);
    f.name = std::string(s.node_name(named.from)) + "." + f.name;
    if (f.name.rfind(f.reached_through + ".", 0) == 0) f.reached_through.clear();  // "through Widget": said already
  } else if (const int global = global_chain_start(steps, k, g); global >= 0) {
    // Properties from the global object down: what the program writes as
    // globalThis.service.sessions (window.cache).
    std::string chain = steps[static_cast<size_t>(global)].to_class.rfind("Window", 0) == 0 ? "window" : "globalThis";
    for (int j = global + 1; j <= k; ++j) chain += "." + steps[static_cast<size_t>(j)].edge_name;
    f.name = chain;
    f.reached_through.clear();
  }
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

Finding group_verdict(const char* pattern, const LeakGroup& g, std::string title, std::string what, std::string fix,
                      std::string example) {
  Finding f;
  f.pattern = pattern;
  f.title = std::move(title);
  f.what = std::move(what);
  f.where = shape_text(g.shape);
  f.how_big = growth_text(g);
  f.fix = std::move(fix);
  f.example = std::move(example);
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
