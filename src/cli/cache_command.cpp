// `heapwise cache`: what the binary cache holds, and clearing it.
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cache/snapshot_cache.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "The commands that read a snapshot keep its analysis in a cache, so the next\n"
    "command on the same, unchanged file starts in a fraction of a second\n"
    "(docs/cache.md). 'list' (the default) shows the entries, most recently used\n"
    "first; 'clear' removes them all.\n";

const char kNotes[] =
    "The cache is $XDG_CACHE_HOME/heapwise, else ~/.cache/heapwise. It holds at\n"
    "most HEAPWISE_CACHE_LIMIT bytes (default 4GiB): writing an entry removes the\n"
    "least recently used ones. --no-cache on any command bypasses it.\n";

const std::vector<OptionSpec> kOptions = {
    {"--json", "", "machine-readable output"},
};

std::string local_time(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &tm);
  return text;
}

int run(const Arguments& args) {
  const std::string action = args.positionals().empty() ? "list" : args.positionals()[0];
  if (action != "list" && action != "clear") throw UsageError("unknown action '" + action + "' (list or clear)");
  const std::string dir = cache::default_cache_dir();
  if (dir.empty()) throw CommandFailure(kExitUsage, "no cache directory: neither XDG_CACHE_HOME nor HOME is set");
  const bool json = args.flag("--json");

  if (action == "clear") {
    const cache::Removed removed = cache::clear_entries(dir);
    if (json) {
      print_json({{"directory", dir}, {"removed_entries", removed.entries}, {"removed_bytes", removed.bytes}});
    } else {
      std::cout << "Removed " << format_count(removed.entries) << (removed.entries == 1 ? " entry" : " entries") << " ("
                << format_size(removed.bytes) << ") from " << terminal_text(dir) << "\n";
    }
    return kExitOk;
  }

  const auto entries = cache::list_entries(dir);
  uint64_t total = 0;
  for (const auto& e : entries) total += e.bytes;
  if (json) {
    nlohmann::ordered_json out;
    out["directory"] = dir;
    out["total_bytes"] = total;
    auto& list = out["entries"] = nlohmann::json::array();
    for (const auto& e : entries)
      list.push_back({{"snapshot", e.snapshot_path},
                      {"entry", e.file},
                      {"bytes", e.bytes},
                      {"last_used", e.last_used_ns / 1000000000}});
    print_json(out);
    return kExitOk;
  }
  using report::Table;
  Table table({{"Snapshot", Table::Align::kLeft}, {"Size", Table::Align::kRight}, {"Last used", Table::Align::kLeft}});
  for (const auto& e : entries)
    table.add_row({e.snapshot_path.empty() ? "(unreadable: rebuilt on next use)" : e.snapshot_path,
                   format_size(e.bytes), local_time(e.last_used_ns / 1000000000)});
  if (!entries.empty()) table.print(std::cout, report::use_color(), 100);
  std::cout << format_count(entries.size()) << (entries.size() == 1 ? " entry, " : " entries, ") << format_size(total)
            << " in " << terminal_text(dir) << "\n";
  return kExitOk;
}

}  // namespace

const Command kCacheCommand{"cache",
                            "list or clear the cache of analysed snapshots",
                            "[list|clear] [options]",
                            kDescription,
                            kOptions,
                            kNotes,
                            {0, 1, "takes at most one action: list or clear"},
                            run};

}  // namespace heapwise::cli
