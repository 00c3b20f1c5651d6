// `heapwise diff`: DevTools' Comparison view between two snapshots of one process.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/snapshot_diff.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "DevTools' Comparison view: per class, the objects that are new in B, the ones\n"
    "deleted since A, and the change in count and bytes. Objects are matched by\n"
    "V8 object id, so A and B must come from one process (and, when written over\n"
    "the inspector, from one session: closing it resets the ids).\n";

const std::vector<OptionSpec> kOptions = {
    {"--sort", "KEY",
     "size (size delta, default), count (count delta), allocated,\nfreed, new or deleted; biggest first"},
    {"--top", "N", "rows to show (default 30; 0 = all)"},
    {"--json", "", "machine-readable output (all rows unless --top)"},
    no_cache_option(),
};

std::string signed_size(int64_t v) { return (v < 0 ? "-" : "+") + format_size(static_cast<uint64_t>(v < 0 ? -v : v)); }
std::string signed_count(int64_t v) {
  return (v < 0 ? "-" : "+") + format_count(static_cast<uint64_t>(v < 0 ? -v : v));
}

int run(const Arguments& args) {
  const std::string sort = args.value_or("--sort", "size");
  const std::vector<std::string> sorts = {"size", "count", "allocated", "freed", "new", "deleted"};
  if (std::find(sorts.begin(), sorts.end(), sort) == sorts.end())
    throw UsageError("--sort must be one of size, count, allocated, freed, new, deleted");
  const bool json = args.flag("--json");
  const uint64_t top = args.uint_or("--top", json ? 0 : 30);
  const auto both = open_snapshots(args.positionals(), args);
  const auto& a = both[0];
  const auto& b = both[1];
  const double shared = shared_id_fraction(*a, *b);
  auto rows = diff_snapshots(*a, *b);
  auto key = [&](const ClassDiff& d) -> int64_t {
    if (sort == "count") return d.count_delta();
    if (sort == "allocated") return static_cast<int64_t>(d.allocated_size);
    if (sort == "freed") return static_cast<int64_t>(d.freed_size);
    if (sort == "new") return static_cast<int64_t>(d.new_count);
    if (sort == "deleted") return static_cast<int64_t>(d.deleted_count);
    return d.size_delta();
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const ClassDiff& x, const ClassDiff& y) {
    if (key(x) != key(y)) return key(x) > key(y);
    return x.key < y.key;
  });
  const size_t shown = top ? std::min<size_t>(rows.size(), top) : rows.size();
  int64_t total_delta = 0;
  for (const auto& r : rows) total_delta += r.size_delta();

  if (json) {
    nlohmann::ordered_json out{{"before", args.positionals()[0]},
                               {"after", args.positionals()[1]},
                               {"shared_id_fraction", shared},
                               {"size_delta", total_delta}};
    auto& list = out["classes"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < shown; ++i) {
      const ClassDiff& d = rows[i];
      list.push_back({{"name", d.name},
                      {"key", d.key},
                      {"new", d.new_count},
                      {"deleted", d.deleted_count},
                      {"count_delta", d.count_delta()},
                      {"allocated_size", d.allocated_size},
                      {"freed_size", d.freed_size},
                      {"size_delta", d.size_delta()}});
    }
    print_json(out);
    return kExitOk;
  }
  if (shared < 0.05)
    std::cerr << "heapwise: warning: only " << static_cast<int>(shared * 100)
              << " % of the objects of A are in B: the snapshots look like different processes or sessions\n";
  std::cout << args.positionals()[0] << " → " << args.positionals()[1] << ": " << signed_size(total_delta) << " in "
            << format_count(rows.size()) << " classes that changed\n\n";
  using report::Table;
  Table t({{"Class", Table::Align::kLeft},
           {"# New", Table::Align::kRight},
           {"# Deleted", Table::Align::kRight},
           {"# Delta", Table::Align::kRight},
           {"Alloc. size", Table::Align::kRight},
           {"Freed size", Table::Align::kRight},
           {"Size delta", Table::Align::kRight}});
  for (size_t i = 0; i < shown; ++i) {
    const ClassDiff& d = rows[i];
    t.add_row({d.name, format_count(d.new_count), format_count(d.deleted_count), signed_count(d.count_delta()),
               format_size(d.allocated_size), format_size(d.freed_size), signed_size(d.size_delta())});
  }
  t.print(std::cout, report::use_color(), 50);
  return kExitOk;
}

}  // namespace

const Command kDiffCommand{"diff",
                           "compare two snapshots per class: new, deleted, delta (DevTools' Comparison)",
                           "A B [options]",
                           kDescription,
                           kOptions,
                           "",
                           {2, 2, "expects two files, A and B"},
                           run};

}  // namespace heapwise::cli
