// `heapwise strings`: the biggest strings, or the duplicated ones.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/duplicate_strings.h"
#include "analysis/heap_text.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "The biggest strings (by shallow size), or with --duplicates the string values\n"
    "stored in many copies and the bytes the extra copies waste (interning them,\n"
    "or keeping one shared copy, would save that much).\n";

const std::vector<OptionSpec> kOptions = {
    {"--duplicates", "", "group identical strings"},
    {"--top", "N", "how many rows (default 20)"},
    {"--json", "", "machine-readable output"},
    no_cache_option(),
};

int run(const Arguments& args) {
  const uint64_t top = args.uint_or("--top", 20);
  const bool json = args.flag("--json");
  auto snapshot = open_snapshot(args.positionals()[0], args);
  const Snapshot& s = *snapshot;
  const HeapGraph& g = s.graph();
  using report::Table;

  if (args.flag("--duplicates")) {
    auto dups = find_duplicate_strings(s);
    uint64_t wasted = 0;
    for (const auto& d : dups) wasted += d.wasted_size;
    const size_t shown = top ? std::min<size_t>(dups.size(), top) : dups.size();
    if (json) {
      nlohmann::ordered_json out{
          {"file", args.positionals()[0]}, {"duplicated_values", dups.size()}, {"wasted_size", wasted}};
      auto& list = out["duplicates"] = nlohmann::ordered_json::array();
      for (size_t i = 0; i < shown; ++i)
        list.push_back({{"value", dups[i].value.substr(0, 1000)},
                        {"length", dups[i].value.size()},
                        {"copies", dups[i].copies},
                        {"total_size", dups[i].total_size},
                        {"wasted_size", dups[i].wasted_size},
                        {"example_id", g.node_id[dups[i].example]}});
      print_json(out);
      return kExitOk;
    }
    std::cout << format_count(dups.size()) << " string values are stored more than once, wasting "
              << format_size(wasted) << "\n\n";
    Table t({{"String", Table::Align::kLeft},
             {"Copies", Table::Align::kRight},
             {"Total", Table::Align::kRight},
             {"Wasted", Table::Align::kRight},
             {"Example", Table::Align::kRight}});
    for (size_t i = 0; i < shown; ++i)
      t.add_row({string_preview(dups[i].value, 50), format_count(dups[i].copies), format_size(dups[i].total_size),
                 format_size(dups[i].wasted_size), "@" + std::to_string(g.node_id[dups[i].example])});
    t.print(std::cout, report::use_color(), 60);
    return kExitOk;
  }

  std::vector<NodeIndex> strings;
  for (NodeIndex n = 0; n < g.node_count; ++n)
    if (is_string_node(g, n)) strings.push_back(n);
  const size_t shown = top ? std::min<size_t>(strings.size(), top) : strings.size();
  std::partial_sort(strings.begin(), strings.begin() + static_cast<ptrdiff_t>(shown), strings.end(),
                    [&](NodeIndex a, NodeIndex b) {
                      if (s.self_size(a) != s.self_size(b)) return s.self_size(a) > s.self_size(b);
                      return g.node_id[a] < g.node_id[b];
                    });
  if (json) {
    nlohmann::ordered_json out{{"file", args.positionals()[0]}, {"string_objects", strings.size()}};
    auto& list = out["strings"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < shown; ++i) {
      NodeIndex n = strings[i];
      list.push_back({{"id", g.node_id[n]},
                      {"type", g.type_name(n)},
                      {"value", s.node_name(n).substr(0, 1000)},
                      {"length", s.node_name(n).size()},
                      {"self_size", s.self_size(n)},
                      {"retained_size", s.retained_size(n)}});
    }
    print_json(out);
    return kExitOk;
  }
  std::cout << format_count(strings.size()) << " string objects; the " << shown << " biggest\n\n";
  Table t({{"String", Table::Align::kLeft}, {"Id", Table::Align::kRight}, {"Size", Table::Align::kRight}});
  for (size_t i = 0; i < shown; ++i)
    t.add_row({string_preview(s.node_name(strings[i]), 60), "@" + std::to_string(g.node_id[strings[i]]),
               format_size(s.self_size(strings[i]))});
  t.print(std::cout, report::use_color(), 70);
  return kExitOk;
}

}  // namespace

const Command kStringsCommand{"strings",        "biggest strings, and duplicated strings with the bytes they waste",
                              "FILE [options]", kDescription,
                              kOptions,         "",
                              kOneFile,         run};

}  // namespace heapwise::cli
