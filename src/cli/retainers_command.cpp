// `heapwise retainers`: why is this object alive? The shortest retainer
// paths from the root to an object, or to the biggest instances of a class.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/heap_text.h"
#include "analysis/retainer_paths.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "The K shortest retainer paths from a GC root to an object: what keeps it alive.\n"
    "Paths never go through weak edges and follow the edges DevTools uses for\n"
    "distances. With --class, one path to each of the K instances of the class that\n"
    "retain the most.\n";

const std::vector<OptionSpec> kOptions = {
    {"--class", "NAME", "a class name as `heapwise summary` shows it"},
    {"--paths", "K", "how many paths (default 3)"},
    {"--max-depth", "D", "show at most the last D steps of a path (default 40; 0 = all)"},
    {"--json", "", "machine-readable output"},
    no_cache_option(),
};

const char kNotes[] =
    "Objects that are only weakly held, or not held at all, have no path and are\n"
    "reported as unreachable.\n";

nlohmann::ordered_json node_json(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  return {{"id", g.node_id[n]},       {"type", g.type_name(n)},      {"class", s.class_name(n)},
          {"name", s.node_name(n)},   {"self_size", s.self_size(n)}, {"retained_size", s.retained_size(n)},
          {"distance", s.distance(n)}};
}

nlohmann::ordered_json path_json(const Snapshot& s, const RetainerPath& path) {
  const HeapGraph& g = s.graph();
  auto steps = nlohmann::ordered_json::array();
  for (size_t i = 0; i < path.size(); ++i) {
    nlohmann::ordered_json step;
    if (i > 0) {
      step["edge"] = {
          {"type", g.edge_type_name(path[i])}, {"name", g.edge_name_text(path[i])}, {"label", edge_label(s, path[i])}};
    }
    step["node"] = node_json(s, g.edge_target(path[i]));
    steps.push_back(std::move(step));
  }
  return {{"text", path_text(s, path)}, {"length", path.size()}, {"steps", std::move(steps)}};
}

int run(const Arguments& args) {
  const auto cls = args.value("--class");
  const size_t want = cls ? 1 : 2;
  if (args.positionals().size() != want)
    throw UsageError(cls ? "expects FILE and --class NAME" : "expects FILE and @ID (or --class NAME)");
  const uint64_t k = args.uint_or("--paths", 3, 1);
  const uint64_t depth = args.uint_or("--max-depth", 40);
  auto snapshot = open_snapshot(args.positionals()[0], args);
  const Snapshot& s = *snapshot;
  const HeapGraph& g = s.graph();

  // Targets: the object, or the class's instances that retain the most.
  std::vector<NodeIndex> targets;
  uint64_t instances = 0;
  if (cls) {
    for (NodeIndex n = 0; n < g.node_count; ++n)
      if (s.class_name(n) == *cls && s.self_size(n) > 0) {
        ++instances;
        targets.push_back(n);
      }
    if (targets.empty()) throw CommandFailure(kExitUsage, "no class named '" + *cls + "' in this snapshot");
    const size_t keep = std::min<size_t>(targets.size(), k);
    std::partial_sort(targets.begin(), targets.begin() + static_cast<ptrdiff_t>(keep), targets.end(),
                      [&](NodeIndex a, NodeIndex b) {
                        if (s.retained_size(a) != s.retained_size(b)) return s.retained_size(a) > s.retained_size(b);
                        return g.node_id[a] < g.node_id[b];
                      });
    targets.resize(keep);
  } else {
    targets.push_back(resolve_node_ref(s, args.positionals()[1]));
  }

  const RetainerIndex& retainers = s.retainers();
  std::vector<std::vector<RetainerPath>> paths;
  for (NodeIndex t : targets) paths.push_back(shortest_retainer_paths(s, retainers, t, cls ? 1 : k));

  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["file"] = args.positionals()[0];
    if (cls) {
      out["class"] = *cls;
      out["instances"] = instances;
    }
    auto& list = out["targets"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < targets.size(); ++i) {
      nlohmann::ordered_json t;
      t["node"] = node_json(s, targets[i]);
      t["reachable"] = !paths[i].empty();
      auto& ps = t["paths"] = nlohmann::ordered_json::array();
      for (const auto& p : paths[i]) ps.push_back(path_json(s, p));
      list.push_back(std::move(t));
    }
    print_json(out);
    return kExitOk;
  }

  if (cls)
    std::cout << *cls << ": " << format_count(instances) << (instances == 1 ? " instance" : " instances")
              << (instances == 1 ? "" : "; paths to the " + std::to_string(targets.size()) + " that retain the most")
              << "\n\n";
  for (size_t i = 0; i < targets.size(); ++i) {
    const NodeIndex t = targets[i];
    if (!cls)
      std::cout << terminal_text(node_label(s, t)) << "  self " << format_size(s.self_size(t)) << ", retained "
                << format_size(s.retained_size(t)) << "\n\n";
    if (paths[i].empty()) {
      std::cout << terminal_text(node_label(s, t)) << ": unreachable from the roots (only weakly held, or garbage)\n";
      continue;
    }
    for (const auto& p : paths[i])
      std::cout << terminal_text(path_text(s, p, depth)) << "  " << format_size(s.retained_size(t)) << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kRetainersCommand{"retainers",
                                "why an object is alive: shortest retainer paths from the roots",
                                "FILE (@ID | --class NAME) [options]",
                                kDescription,
                                kOptions,
                                kNotes,
                                {1, 2, "expects FILE and @ID, or FILE and --class NAME"},
                                run};

}  // namespace heapwise::cli
