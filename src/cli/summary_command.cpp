// `heapwise summary`: DevTools' Summary view, one row per class.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "analysis/allocation_sites.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "DevTools' Summary view: one row per class (constructor), with the number of\n"
    "objects, the smallest distance from a root, the shallow size (the objects' own\n"
    "bytes) and the retained size (what would be freed if they all went away).\n"
    "The numbers equal Chrome DevTools' for the same file.\n";

const std::vector<OptionSpec> kOptions = {
    {"--top", "N", "show the first N rows (default 30; 0 = all)"},
    {"--sort", "KEY", "retained (default), shallow, count or distance"},
    {"--filter", "REGEX", "only classes whose name matches (ECMAScript regex)"},
    {"--by-allocation", "",
     "one row per class and allocating function (snapshots written\nwith allocation tracking, e.g. `heapwise snapshot "
     "--track`)"},
    {"--json", "", "machine-readable output (all matching rows unless --top)"},
    no_cache_option(),
};

const char kNotes[] =
    "FILE may be a .heapsnapshot or a gzip-compressed .heapsnapshot.gz.\n"
    "Distances: '-' in the table (and >= 100000000 or -5 in JSON) marks objects\n"
    "reachable only through V8-internal roots, or not at all.\n";

int print_by_allocation(const Snapshot& s, const Arguments& args, const std::optional<std::regex>& filter, bool json,
                        uint64_t top) {
  if (s.graph().trace_nodes.empty())
    throw CommandFailure(kExitUsage, args.positionals()[0] +
                                         ": the snapshot has no allocation traces (it was not written with "
                                         "allocation tracking on)");
  auto sites = allocation_sites(s);
  const auto& rows = s.aggregates().rows;
  std::vector<const AllocationSite*> shown;
  for (const auto& site : sites)
    if (!filter || std::regex_search(rows[site.class_row].name, *filter)) shown.push_back(&site);
  if (top && shown.size() > top) shown.resize(top);
  if (json) {
    nlohmann::ordered_json out{{"file", args.positionals()[0]}};
    auto& list = out["sites"] = nlohmann::ordered_json::array();
    for (const AllocationSite* site : shown)
      list.push_back({{"class", rows[site->class_row].name},
                      {"function", site->frame.function_name},
                      {"script_name", site->frame.script_name},
                      {"line", site->frame.line},
                      {"column", site->frame.column},
                      {"caller", site->caller},
                      {"other_callers", site->other_callers},
                      {"count", site->count},
                      {"self_size", site->self_size},
                      {"example_id", s.graph().node_id[site->example]}});
    print_json(out);
    return kExitOk;
  }
  using report::Table;
  Table table({{"Class", Table::Align::kLeft},
               {"Allocated by", Table::Align::kLeft},
               {"Objects", Table::Align::kRight},
               {"Shallow size", Table::Align::kRight}});
  for (const AllocationSite* site : shown)
    table.add_row(
        {rows[site->class_row].name, frame_text(site->frame), format_count(site->count), format_size(site->self_size)});
  std::cout << args.positionals()[0] << ": live objects by allocating function (objects allocated while tracking)\n\n";
  table.print(std::cout, report::use_color(), 100);
  return kExitOk;
}

int run(const Arguments& args) {
  const std::string sort = args.value_or("--sort", "retained");
  if (sort != "retained" && sort != "shallow" && sort != "count" && sort != "distance")
    throw UsageError("--sort must be retained, shallow, count or distance, not '" + sort + "'");
  const bool json = args.flag("--json");
  const uint64_t top = args.uint_or("--top", json ? 0 : 30);
  std::optional<std::regex> filter;
  if (auto f = args.value("--filter")) {
    try {
      filter.emplace(*f, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw CommandFailure(kExitUsage, "--filter: bad regular expression '" + *f + "': " + e.what());
    }
  }

  auto snapshot = open_snapshot(args.positionals()[0], args);
  if (args.flag("--by-allocation")) return print_by_allocation(*snapshot, args, filter, json, top);
  const auto& all = snapshot->aggregates().rows;
  std::vector<const ClassAggregate*> rows;
  for (const auto& r : all)
    if (!filter || std::regex_search(r.name, *filter)) rows.push_back(&r);
  auto by = [&](const ClassAggregate* a, const ClassAggregate* b) {
    if (sort == "shallow" && a->self_size != b->self_size) return a->self_size > b->self_size;
    if (sort == "count" && a->count != b->count) return a->count > b->count;
    if (sort == "distance" && a->distance != b->distance) return a->distance < b->distance;
    if (a->retained_size != b->retained_size) return a->retained_size > b->retained_size;
    return a->key < b->key;
  };
  std::stable_sort(rows.begin(), rows.end(), by);
  const size_t shown = top == 0 ? rows.size() : std::min<size_t>(rows.size(), top);
  const uint64_t total = snapshot->statistics().total;

  if (json) {
    nlohmann::ordered_json out;
    out["file"] = args.positionals()[0];
    out["node_count"] = snapshot->graph().node_count;
    out["edge_count"] = snapshot->graph().edge_count;
    out["total_size"] = total;
    out["class_count"] = rows.size();
    auto& classes = out["classes"] = nlohmann::json::array();
    for (size_t i = 0; i < shown; ++i) {
      const ClassAggregate& r = *rows[i];
      classes.push_back({{"name", r.name},
                         {"key", r.key},
                         {"count", r.count},
                         {"distance", r.distance},
                         {"self_size", r.self_size},
                         {"retained_size", r.retained_size}});
    }
    print_json(out);
    return kExitOk;
  }

  using report::Table;
  Table table({{"Class", Table::Align::kLeft},
               {"Distance", Table::Align::kRight},
               {"Objects", Table::Align::kRight},
               {"Shallow size", Table::Align::kRight},
               {"", Table::Align::kRight},
               {"Retained size", Table::Align::kRight},
               {"", Table::Align::kRight}});
  for (size_t i = 0; i < shown; ++i) {
    const ClassAggregate& r = *rows[i];
    table.add_row({r.name, format_distance(r.distance), format_count(r.count), format_size(r.self_size),
                   format_percent(r.self_size, total), format_size(r.retained_size),
                   format_percent(r.retained_size, total)});
  }
  std::cout << args.positionals()[0] << ": " << format_count(snapshot->graph().node_count) << " objects, "
            << format_size(total) << " total, " << format_count(rows.size()) << " classes";
  if (shown < rows.size()) std::cout << " (top " << shown << " by " << sort << ")";
  std::cout << "\n\n";
  table.print(std::cout, report::use_color(), 60);
  return kExitOk;
}

}  // namespace

const Command kSummaryCommand{"summary",        "per-class counts, shallow and retained sizes (DevTools' Summary)",
                              "FILE [options]", kDescription,
                              kOptions,         kNotes,
                              kOneFile,         run};

}  // namespace heapwise::cli
