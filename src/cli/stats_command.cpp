// `heapwise stats`: counts, DevTools' Statistics categories and the biggest objects.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "patterns/detectors.h"
#include "report/findings.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "Node and edge counts, the total heap size and DevTools' Statistics categories\n"
    "(code, strings, JS arrays, typed arrays, system objects, other JS objects,\n"
    "other non-JS objects), then the N objects with the largest retained size\n"
    "(default 10), leaving out the synthetic roots, and the \"Suspects\": what the\n"
    "leak-pattern detectors see in this one snapshot (big listener lists, active\n"
    "timers, caches, registries, object-keyed Maps, detached DOM, duplicated strings).\n";

const std::vector<OptionSpec> kOptions = {
    {"--top", "N", "how many of the biggest objects to list (default 10)"},
    {"--json", "", "machine-readable output"},
    no_cache_option(),
};

// The N non-synthetic nodes with the largest retained sizes, biggest first.
std::vector<NodeIndex> biggest_objects(const Snapshot& s, size_t n) {
  const HeapGraph& g = s.graph();
  std::vector<NodeIndex> best;
  auto worse = [&](NodeIndex a, NodeIndex b) {
    if (s.retained_size(a) != s.retained_size(b)) return s.retained_size(a) > s.retained_size(b);
    return a < b;
  };
  for (NodeIndex i = 0; i < g.node_count && n > 0; ++i) {
    if (g.node_type[i] == g.node_types.synthetic) continue;
    if (best.size() == n && !worse(i, best.back())) continue;
    auto pos = std::upper_bound(best.begin(), best.end(), i, worse);
    best.insert(pos, i);
    if (best.size() > n) best.pop_back();
  }
  return best;
}

int run(const Arguments& args) {
  const uint64_t top = args.uint_or("--top", 10);
  auto snapshot = open_snapshot(args.positionals()[0], args);
  const HeapGraph& g = snapshot->graph();
  const HeapStatistics& st = snapshot->statistics();
  const auto biggest = biggest_objects(*snapshot, top);
  const auto suspects = scan_for_suspects(*snapshot);

  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["file"] = args.positionals()[0];
    out["node_count"] = g.node_count;
    out["edge_count"] = g.edge_count;
    out["string_count"] = g.strings.size();
    out["string_bytes"] = g.strings.total_bytes();
    out["class_count"] = snapshot->aggregates().rows.size();
    out["statistics"] = {{"total", st.total},
                         {"code", st.code},
                         {"strings", st.strings},
                         {"js_arrays", st.js_arrays},
                         {"typed_arrays", st.typed_arrays},
                         {"system_objects", st.system},
                         {"other_js_objects", st.other_js_objects()},
                         {"other_non_js_objects", st.other_non_js_objects()},
                         {"v8heap_total", st.v8heap_total},
                         {"native_total", st.native_total}};
    auto& sus = out["suspects"] = nlohmann::ordered_json::array();
    for (const auto& f : suspects) sus.push_back(report::finding_json(f, g));
    auto& objs = out["biggest_objects"] = nlohmann::json::array();
    for (NodeIndex n : biggest)
      objs.push_back({{"id", g.node_id[n]},
                      {"class", snapshot->class_name(n)},
                      {"name", snapshot->node_name(n)},
                      {"type", g.type_name(n)},
                      {"self_size", snapshot->self_size(n)},
                      {"retained_size", snapshot->retained_size(n)},
                      {"distance", snapshot->distance(n)}});
    print_json(out);
    return kExitOk;
  }

  const bool color = report::use_color();
  std::cout << args.positionals()[0] << "\n  " << format_count(g.node_count) << " nodes, " << format_count(g.edge_count)
            << " edges, " << format_count(g.strings.size()) << " strings, "
            << format_count(snapshot->aggregates().rows.size()) << " classes\n\n";
  using report::Table;
  Table cats({{"Statistics", Table::Align::kLeft}, {"Size", Table::Align::kRight}, {"", Table::Align::kRight}});
  auto add = [&](const char* what, uint64_t v) { cats.add_row({what, format_size(v), format_percent(v, st.total)}); };
  add("Total", st.total);
  add("Code", st.code);
  add("Strings", st.strings);
  add("JS arrays", st.js_arrays);
  add("Typed arrays", st.typed_arrays);
  add("System objects", st.system);
  add("Other JS objects", st.other_js_objects());
  add("Other non-JS objects", st.other_non_js_objects());
  cats.print(std::cout, color);

  if (!biggest.empty()) {
    std::cout << "\n";
    Table big({{"Biggest objects", Table::Align::kLeft},
               {"Id", Table::Align::kRight},
               {"Shallow size", Table::Align::kRight},
               {"Retained size", Table::Align::kRight},
               {"", Table::Align::kRight}});
    for (NodeIndex n : biggest) {
      std::string label(snapshot->class_name(n));
      std::string name(snapshot->node_name(n));
      if (!name.empty() && name != label) label += " " + name;
      big.add_row({label, "@" + std::to_string(g.node_id[n]), format_size(snapshot->self_size(n)),
                   format_size(snapshot->retained_size(n)), format_percent(snapshot->retained_size(n), st.total)});
    }
    big.print(std::cout, color, 60);
  }
  report::print_suspects(std::cout, suspects, args.positionals()[0]);
  return kExitOk;
}

}  // namespace

const Command kStatsCommand{
    "stats", "counts, Statistics categories, biggest objects", "FILE [options]", kDescription, kOptions, "", kOneFile,
    run};

}  // namespace heapwise::cli
