// Opening a snapshot for a command (see command.h).
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>

#include "cache/snapshot_cache.h"
#include "cli/command.h"
#include "util/big_array.h"
#include "util/in_parallel.h"
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
  std::fprintf(stderr, "heapwise: phase %-32s %7.3f s", name.c_str(), seconds);
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
  if (timed.empty()) return;
  const HugePageChoice& pages = huge_page_choice();
  std::fprintf(stderr, "heapwise: huge pages %s (%s", pages.on ? "on" : "off", pages.reason);
  if (pages.small_seconds > 0)
    std::fprintf(stderr, ": 4 MiB faulted in %.2f ms in 4 KiB pages, %.2f ms in 2 MiB ones", pages.small_seconds * 1e3,
                 pages.huge_seconds * 1e3);
  std::fputs(")\n", stderr);
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

// A file named twice in one command (`diff a a`, or `a` and `./a`) is
// analysed once: files are told apart by device and inode, or by name when
// they cannot be examined (opening them then fails with the reason).
std::string file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "name " + path;
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

// Guards the lists above and stderr while two files load at once.
std::mutex& opening_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::shared_ptr<const Snapshot> open_one(const std::string& path, const Arguments& args, bool progress) {
  std::vector<std::string> notes;
  auto opened = cache::open_through_cache(path, cache_settings(args), progress, notes);
  std::lock_guard<std::mutex> lock(opening_mutex());
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

}  // namespace

std::shared_ptr<const Snapshot> open_snapshot(const std::string& path, const Arguments& args) {
  return open_one(path, args, Progress::stderr_is_tty());
}

std::vector<std::shared_ptr<const Snapshot>> open_snapshots(const std::vector<std::string>& paths,
                                                            const Arguments& args) {
  // Each distinct name once, in up to three lanes: lane k opens the
  // (k+1)th file, then every third after it. One file's single-threaded
  // phases leave a core partly idle that another fills; with two lanes the
  // third of three files then loaded alone (`leaks` on three 500 MB files:
  // 5.78-5.98 s in three lanes against 6.11-6.47 s in two, peak +10 MB).
  // More lanes would add their transient peaks without adding a core. Lane 0
  // alone shows progress, so that two bars never share the line.
  std::vector<std::string> distinct, identities;
  std::vector<size_t> slot_of(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string identity = file_identity(paths[i]);
    const auto seen = std::find(identities.begin(), identities.end(), identity);
    slot_of[i] = static_cast<size_t>(seen - identities.begin());
    if (seen != identities.end()) continue;
    identities.push_back(identity);
    distinct.push_back(paths[i]);
  }
  std::vector<std::shared_ptr<const Snapshot>> opened(distinct.size());
  std::vector<std::exception_ptr> failures(distinct.size());
  // The error is the first bad file in the order given, as one lane
  // would have found it: after a failure, the lanes still open the files
  // before it (one of them may fail too) and skip the rest.
  std::atomic<size_t> first_failure{distinct.size()};
  const size_t lanes = std::min<size_t>(distinct.size(), 3);
  auto lane = [&](size_t first, bool progress) {
    for (size_t i = first; i < first_failure.load(); i += lanes) {
      try {
        opened[i] = open_one(distinct[i], args, progress);
      } catch (...) {
        failures[i] = std::current_exception();
        lower_to(first_failure, i);
      }
    }
  };
  on_threads(lanes, [&](size_t first) { lane(first, first == 0 && Progress::stderr_is_tty()); });
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
  std::vector<std::shared_ptr<const Snapshot>> out;
  for (size_t slot : slot_of) out.push_back(opened[slot]);
  return out;
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
