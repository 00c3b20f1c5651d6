// `heapwise show`: one object in full: what it is, what it holds, what holds
// it, its dominator chain and, when known, where it was created.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/heap_text.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "One object: type, class, name, id, self and retained size, distance,\n"
    "detachedness, a preview of its string value, its source location (from the\n"
    "snapshot's locations) and allocation stack (with allocation tracking), its\n"
    "outgoing edges (biggest target first), its direct retainers and its\n"
    "dominator chain up to the root.\n";

const std::vector<OptionSpec> kOptions = {
    {"--edges", "N", "how many edges and retainers to list (default 20)"},
    {"--offset", "M", "skip the first M outgoing edges (paging)"},
    {"--json", "", "machine-readable output"},
    no_cache_option(),
};

const char* dom_state_name(uint8_t s) { return s == 1 ? "attached" : s == 2 ? "detached" : "unknown"; }

int run(const Arguments& args) {
  const uint64_t limit = args.uint_or("--edges", 20);
  const uint64_t offset = args.uint_or("--offset", 0);
  auto snapshot = open_snapshot(args.positionals()[0], args);
  const Snapshot& s = *snapshot;
  const HeapGraph& g = s.graph();
  const NodeIndex n = resolve_node_ref(s, args.positionals()[1]);

  std::vector<EdgeIndex> edges;
  for (EdgeIndex e : g.edges_of(n)) edges.push_back(e);
  std::stable_sort(edges.begin(), edges.end(), [&](EdgeIndex a, EdgeIndex b) {
    return s.retained_size(g.edge_target(a)) > s.retained_size(g.edge_target(b));
  });
  const RetainerIndex& ri = s.retainers();
  std::vector<uint32_t> retainers;
  for (uint32_t i = ri.begin(n); i < ri.end(n); ++i) retainers.push_back(i);
  std::stable_sort(retainers.begin(), retainers.end(), [&](uint32_t a, uint32_t b) {
    // As DevTools: closest to the roots first (unreachable ones last).
    auto key = [&](uint32_t i) {
      int32_t d = s.distance(ri.owner(i));
      return d < 0 ? INT32_MAX : d;
    };
    return key(a) < key(b);
  });
  std::vector<NodeIndex> chain;
  for (NodeIndex d = s.dominator(n); chain.size() < 100000; d = s.dominator(d)) {
    chain.push_back(d);
    if (d == g.root) break;
  }
  SourceLocation where{};
  const bool has_location = source_location(s, n, &where);
  const auto stack = allocation_stack(s, n);
  const int type = g.node_type[n];
  const bool is_string =
      type == g.node_types.string || type == g.node_types.cons_string || type == g.node_types.sliced_string;
  const size_t first_edge = std::min<size_t>(offset, edges.size());
  const size_t last_edge = std::min<size_t>(edges.size(), first_edge + limit);

  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["id"] = g.node_id[n];
    out["type"] = g.type_name(n);
    out["class"] = s.class_name(n);
    out["name"] = s.node_name(n);
    out["self_size"] = s.self_size(n);
    out["raw_self_size"] = g.raw_self_size(n);
    out["retained_size"] = s.retained_size(n);
    out["distance"] = s.distance(n);
    out["detachedness"] = dom_state_name(s.dom_state(n));
    if (is_string) {
      // Whole up to 16 MiB; past that (a 2 GB string) the start and the length,
      // so the output is not several times the string.
      constexpr size_t kMostValue = size_t{1} << 24;
      const std::string_view value = s.node_name(n);
      out["value"] = value.substr(0, kMostValue);
      out["value_length"] = value.size();
      out["value_truncated"] = value.size() > kMostValue;
    }
    if (has_location)
      out["location"] = {{"script_id", where.script_id},
                         {"script_name", where.script_name},
                         {"line", where.line},
                         {"column", where.column}};
    auto& st = out["allocation_stack"] = nlohmann::ordered_json::array();
    for (const auto& f : stack)
      st.push_back({{"function", f.function_name},
                    {"script_name", f.script_name},
                    {"script_id", f.script_id},
                    {"line", f.line},
                    {"column", f.column}});
    out["edge_count"] = edges.size();
    auto& es = out["edges"] = nlohmann::ordered_json::array();
    for (size_t i = first_edge; i < last_edge; ++i) {
      NodeIndex t = g.edge_target(edges[i]);
      es.push_back({{"type", g.edge_type_name(edges[i])},
                    {"name", g.edge_name_text(edges[i])},
                    {"to", g.node_id[t]},
                    {"class", s.class_name(t)},
                    {"retained_size", s.retained_size(t)}});
    }
    out["retainer_count"] = retainers.size();
    auto& rs = out["retainers"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < std::min<size_t>(retainers.size(), limit); ++i) {
      uint32_t r = retainers[i];
      NodeIndex from = ri.owner(r);
      rs.push_back({{"type", g.edge_type_name(ri.edge(r))},
                    {"name", g.edge_name_text(ri.edge(r))},
                    {"from", g.node_id[from]},
                    {"class", s.class_name(from)},
                    {"distance", s.distance(from)}});
    }
    auto& dc = out["dominators"] = nlohmann::ordered_json::array();
    for (NodeIndex d : chain)
      dc.push_back({{"id", g.node_id[d]}, {"class", s.class_name(d)}, {"retained_size", s.retained_size(d)}});
    print_json(out);
    return kExitOk;
  }

  const bool color = report::use_color();
  std::cout << terminal_text(node_label(s, n, 200)) << "\n"
            << "  type           " << terminal_text(g.type_name(n)) << "\n"
            << "  class          " << terminal_text(s.class_name(n)) << "\n";
  if (!is_string && !s.node_name(n).empty())
    std::cout << "  name           " << terminal_text(s.node_name(n).substr(0, 200)) << "\n";
  std::cout << "  self size      " << format_size(s.self_size(n));
  if (s.self_size(n) != g.raw_self_size(n)) std::cout << " (" << format_size(g.raw_self_size(n)) << " of its own)";
  std::cout << "\n  retained size  " << format_size(s.retained_size(n)) << "\n"
            << "  distance       " << format_distance(s.distance(n)) << "\n";
  if (s.dom_state(n) != 0) std::cout << "  detachedness   " << dom_state_name(s.dom_state(n)) << "\n";
  if (has_location) std::cout << "  created at     " << location_text(where) << "\n";
  if (!stack.empty()) {
    std::cout << "  allocated by   " << frame_text(stack[0]) << "\n";
    for (size_t i = 1; i < stack.size() && i < 12; ++i)
      std::cout << "                 " << frame_text(stack[i]) << "\n";
  }

  using report::Table;
  std::cout << "\nEdges (" << format_count(edges.size()) << ", biggest first";
  if (first_edge > 0) std::cout << ", from #" << first_edge;
  std::cout << ")\n";
  Table et({{"Edge", Table::Align::kLeft}, {"Object", Table::Align::kLeft}, {"Retained", Table::Align::kRight}});
  for (size_t i = first_edge; i < last_edge; ++i) {
    NodeIndex t = g.edge_target(edges[i]);
    et.add_row({edge_label(s, edges[i]), node_label(s, t), format_size(s.retained_size(t))});
  }
  et.print(std::cout, color, 60);
  if (last_edge < edges.size())
    std::cout << "… " << edges.size() - last_edge << " more (--offset " << last_edge << ")\n";

  std::cout << "\nRetainers (" << format_count(retainers.size()) << ", closest to the roots first)\n";
  Table rt({{"Edge", Table::Align::kLeft}, {"From", Table::Align::kLeft}, {"Distance", Table::Align::kRight}});
  for (size_t i = 0; i < std::min<size_t>(retainers.size(), limit); ++i) {
    uint32_t r = retainers[i];
    NodeIndex from = ri.owner(r);
    rt.add_row({edge_label(s, ri.edge(r)), node_label(s, from), format_distance(s.distance(from))});
  }
  rt.print(std::cout, color, 60);

  std::cout << "\nDominator chain (who alone keeps it alive, nearest first)\n";
  for (NodeIndex d : chain)
    std::cout << "  " << terminal_text(node_label(s, d)) << "  " << format_size(s.retained_size(d)) << "\n";
  return kExitOk;
}

}  // namespace

const Command kShowCommand{"show",
                           "one object: sizes, edges, retainers, dominators, allocation site",
                           "FILE @ID [options]",
                           kDescription,
                           kOptions,
                           "",
                           {2, 2, "expects FILE and @ID"},
                           run};

}  // namespace heapwise::cli
