// Opening a snapshot for a command (see command.h).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cache/cache_key.h"
#include "cache/snapshot_cache.h"
#include "cli/command.h"
#include "util/progress.h"

namespace heapwise::cli {

OptionSpec no_cache_option() {
  return {"--no-cache", "", "analyse the file again: neither read nor write the cache (docs/cache.md)"};
}

// Where the cache lives and how big it may grow (HEAPWISE_CACHE_LIMIT, e.g. "2GiB").
cache::CacheSettings cache_settings(const Arguments& args) {
  cache::CacheSettings settings;
  if (args.flag("--no-cache")) return settings;
  settings.dir = cache::default_cache_dir();
  if (const char* limit = std::getenv("HEAPWISE_CACHE_LIMIT"); limit && *limit) {
    auto bytes = parse_size(limit);
    if (!bytes) throw CommandFailure(kExitUsage, std::string("HEAPWISE_CACHE_LIMIT is not a size: '") + limit + "'");
    settings.limit_bytes = *bytes;
  }
  return settings;
}

namespace {

bool timings_wanted() {
  const char* t = std::getenv("HEAPWISE_TIMINGS");
  return t && *t && *t != '0';
}

// "heapwise: phase NAME  SECONDS s" without its line end (the memory may follow).
void print_phase(const std::string& name, double seconds) {
  std::fprintf(stderr, "heapwise: phase %-30s %7.3f s", name.c_str(), seconds);
}

// Analyses waiting to be written to the cache (finish_opened_snapshots).
struct Pending {
  std::shared_ptr<const Snapshot> snapshot;
  cache::PendingEntry entry;
};
std::vector<Pending>& pending_entries() {
  static std::vector<Pending> pending;
  return pending;
}

// The snapshots opened so far, when HEAPWISE_TIMINGS asks for their phases.
std::vector<std::shared_ptr<const Snapshot>>& timed_snapshots() {
  static std::vector<std::shared_ptr<const Snapshot>> timed;
  return timed;
}

// HEAPWISE_TIMINGS=1: the time and memory of each phase of each snapshot
// opened, for benchmarks; shown once the command has used them (some phases
// run on first use).
void print_timings() {
  auto timed = std::move(timed_snapshots());
  timed_snapshots().clear();
  for (const auto& snapshot : timed) {
    for (const auto& phase : snapshot->timings()) {
      print_phase(phase.phase, phase.seconds);
      if (phase.peak_bytes)  // a parse section's share has no reading of its own
        std::fprintf(stderr, "  rss %7.1f MB  peak %7.1f MB", static_cast<double>(phase.rss_bytes) / 1e6,
                     static_cast<double>(phase.peak_bytes) / 1e6);
      std::fputc('\n', stderr);
    }
    const HeapGraph& g = snapshot->graph();
    std::fprintf(stderr, "heapwise: graph %.1f MB (strings %.1f MB, %zu locations)\n",
                 static_cast<double>(g.memory_bytes()) / 1e6, static_cast<double>(g.strings.memory_bytes()) / 1e6,
                 g.locations.size());
  }
}

}  // namespace

std::shared_ptr<const Snapshot> open_snapshot(const std::string& path, const Arguments& args) {
  // A file named twice in one command (`diff a a`) is analysed once: its
  // entry is not in the cache yet, but its analysis is waiting to go there.
  if (!pending_entries().empty())
    if (auto key = cache::cache_key_of(path); key.ok())
      for (const Pending& p : pending_entries())
        if (p.entry.key == key.value()) return p.snapshot;
  std::vector<std::string> notes;
  auto opened = cache::open_through_cache(path, cache_settings(args), Progress::stderr_is_tty(), notes);
  for (const std::string& note : notes) std::cerr << "heapwise: " << note << "\n";
  if (!opened.ok()) {
    const Error& e = opened.error();
    throw CommandFailure(kExitBadInput, e.in(path));
  }
  std::shared_ptr<const Snapshot> snapshot = std::move(opened.value().snapshot);
  if (timings_wanted()) timed_snapshots().push_back(snapshot);
  if (opened.value().pending) pending_entries().push_back({snapshot, std::move(*opened.value().pending)});
  return snapshot;
}

void finish_opened_snapshots() {
  auto pending = std::move(pending_entries());
  pending_entries().clear();
  // A cache entry holds every analysis: the ones the command never asked
  // for are computed now, before the timings are shown.
  for (const Pending& p : pending) p.snapshot->analyses();
  print_timings();
  for (const Pending& p : pending) {
    std::vector<std::string> notes;
    const double seconds = cache::write_entry_later(*p.snapshot, p.entry, notes);
    for (const std::string& note : notes) std::cerr << "heapwise: " << note << "\n";
    if (timings_wanted()) {
      print_phase("cache write", seconds);
      std::fputc('\n', stderr);
    }
  }
}

}  // namespace heapwise::cli
