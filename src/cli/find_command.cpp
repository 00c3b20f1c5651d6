// `heapwise find`: objects by class, name or string content, biggest first.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "analysis/heap_text.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "Objects whose class matches --class, whose name matches --name (a function's\n"
    "name, a string's value, a native object's label) and, with --string, strings\n"
    "containing TEXT; sorted by retained size. Regexes are ECMAScript, unanchored.\n";

const std::vector<OptionSpec> kOptions = {
    {"--class", "REGEX", "class name as in `heapwise summary`"},
    {"--name", "REGEX", "node name"},
    {"--string", "TEXT", "string objects whose value contains TEXT"},
    {"--min-retained", "SIZE", "leave out smaller objects (e.g. 1MB)"},
    {"--limit", "N", "how many to list (default 20)"},
    {"--json", "", "machine-readable output"},
    no_cache_option(),
};

std::regex compile(const std::string& option, const std::string& text) {
  try {
    return std::regex(text, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    throw CommandFailure(kExitUsage, option + ": bad regular expression '" + text + "': " + e.what());
  }
}

int run(const Arguments& args) {
  std::optional<std::regex> cls, name;
  if (auto v = args.value("--class")) cls = compile("--class", *v);
  if (auto v = args.value("--name")) name = compile("--name", *v);
  const auto text = args.value("--string");
  if (!cls && !name && !text) throw UsageError("give at least one of --class, --name, --string");
  const uint64_t min_retained = args.size("--min-retained").value_or(0);
  const uint64_t limit = args.uint_or("--limit", 20);
  auto snapshot = open_snapshot(args.positionals()[0], args);
  const Snapshot& s = *snapshot;
  const HeapGraph& g = s.graph();

  // Class names repeat: match each distinct class index once.
  std::vector<int8_t> class_match;
  std::vector<NodeIndex> found;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    if (s.retained_size(n) < min_retained) continue;
    if (cls) {
      uint32_t c = s.class_index(n);
      if (c >= class_match.size()) class_match.resize(c + 1, -1);
      if (class_match[c] < 0) class_match[c] = std::regex_search(std::string(s.class_name(n)), *cls) ? 1 : 0;
      if (!class_match[c]) continue;
    }
    if (text) {
      const int t = g.node_type[n];
      if (t != g.node_types.string && t != g.node_types.cons_string && t != g.node_types.sliced_string) continue;
      if (s.node_name(n).find(*text) == std::string_view::npos) continue;
    }
    if (name && !std::regex_search(std::string(s.node_name(n)), *name)) continue;
    found.push_back(n);
  }
  auto bigger = [&](NodeIndex a, NodeIndex b) {
    if (s.retained_size(a) != s.retained_size(b)) return s.retained_size(a) > s.retained_size(b);
    return g.node_id[a] < g.node_id[b];
  };
  const size_t shown = limit ? std::min<size_t>(found.size(), limit) : found.size();
  std::partial_sort(found.begin(), found.begin() + static_cast<ptrdiff_t>(shown), found.end(), bigger);

  if (args.flag("--json")) {
    nlohmann::ordered_json out{{"file", args.positionals()[0]}, {"matches", found.size()}};
    auto& list = out["objects"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < shown; ++i) {
      NodeIndex n = found[i];
      list.push_back({{"id", g.node_id[n]},
                      {"type", g.type_name(n)},
                      {"class", s.class_name(n)},
                      {"name", s.node_name(n).substr(0, 1000)},
                      {"self_size", s.self_size(n)},
                      {"retained_size", s.retained_size(n)},
                      {"distance", s.distance(n)}});
    }
    print_json(out);
    return kExitOk;
  }
  std::cout << format_count(found.size()) << " objects match";
  if (shown < found.size()) std::cout << "; the " << shown << " that retain the most";
  std::cout << "\n\n";
  using report::Table;
  Table t({{"Object", Table::Align::kLeft},
           {"Distance", Table::Align::kRight},
           {"Shallow size", Table::Align::kRight},
           {"Retained size", Table::Align::kRight}});
  for (size_t i = 0; i < shown; ++i) {
    NodeIndex n = found[i];
    t.add_row({node_label(s, n), format_distance(s.distance(n)), format_size(s.self_size(n)),
               format_size(s.retained_size(n))});
  }
  t.print(std::cout, report::use_color(), 70);
  return kExitOk;
}

}  // namespace

const Command kFindCommand{"find",           "objects by class, name or string content, biggest first",
                           "FILE [options]", kDescription,
                           kOptions,         "",
                           kOneFile,         run};

}  // namespace heapwise::cli
