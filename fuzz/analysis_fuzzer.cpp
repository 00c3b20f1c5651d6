// The whole analysis on any snapshot the loader accepts: every phase of
// Snapshot (DOM state, sizes, distances, class names, dominators, retained
// sizes, aggregates, statistics), every question of the explorer on the
// snapshot taken three times (comparison and leaks included), and one of the
// commands that read snapshots, in text or JSON, as the CLI runs it (chosen
// by the input's length, so each input always runs the same one). The
// commands go through the binary cache, in a scratch directory emptied
// before each input: a first open writes the entry and the next ones (leaks,
// diff) decode it, so the cache's round trip is fuzzed on hostile graphs too.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "analysis/snapshot.h"
#include "cache/snapshot_cache.h"
#include "explore/queries.h"
#include "explore/snapshot_set.h"
#include "fuzz_input.h"
#include "loader/snapshot_loader.h"

namespace {

using heapwise::NodeIndex;
using heapwise::Snapshot;

// The object most questions ask about: the biggest one under the root.
NodeIndex biggest_object(const Snapshot& s) {
  const uint32_t n = s.graph().node_count;
  NodeIndex best = s.graph().root;
  for (uint32_t i = 0; i < n; ++i)
    if (NodeIndex(i) != s.graph().root && (best == s.graph().root || s.retained_size(i) > s.retained_size(best)))
      best = NodeIndex(i);
  return best;
}

void ask_every_question(heapwise::explore::SnapshotSet& set, const std::string& id, const std::string& key) {
  static const char* const kQuestions[] = {"files",       "summary",   "instances",  "object",  "edges",
                                           "retainers",   "dominated", "statistics", "strings", "comparison",
                                           "new_objects", "leaks",     "search"};
  for (const char* name : kQuestions) {
    const auto query = heapwise::explore::find_query(name);
    if (!query) __builtin_trap();
    for (const char* f : {"0", "2"}) {
      const auto params = [&](const std::string& p) -> std::string {
        if (p == "f") return f;
        if (p == "id") return id;
        if (p == "ignore") return id;
        if (p == "base") return "1";
        if (p == "row") return "0";
        if (p == "key") return key;
        if (p == "q") return "a";
        if (p == "limit") return "5";
        return "";
      };
      try {
        query(set, params);
      } catch (const heapwise::explore::QueryError&) {
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapwise::fuzz::silence_stdout();
  const std::string home = heapwise::fuzz::scratch_dir() + "/heapwise-fuzz-cache-" + std::to_string(getpid());
  setenv("XDG_CACHE_HOME", home.c_str(), 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace heapwise;
  const std::string path = fuzz::write_input(data, size, ".heapsnapshot");
  auto loaded = load_snapshot(path, LoadOptions{false, 2});
  if (!loaded.ok()) return 0;  // refusals are the loader target's
  auto snapshot = std::make_shared<const Snapshot>(std::move(loaded.value()));
  const NodeIndex object = biggest_object(*snapshot);
  const std::string id = "@" + std::to_string(snapshot->graph().node_id[object]);
  const auto& rows = snapshot->aggregates().rows;
  const std::string key = rows.empty() ? "" : rows.front().key;

  explore::SnapshotSet set({snapshot, snapshot, snapshot}, {path, path, path});
  ask_every_question(set, id, key);

  using namespace heapwise::cli;
  const std::vector<std::pair<const Command*, std::vector<std::string>>> runs = {
      {&kSummaryCommand, {path}},
      {&kSummaryCommand, {path, "--json", "--by-allocation"}},
      {&kStatsCommand, {path}},
      {&kStatsCommand, {path, "--json"}},
      {&kDominatorsCommand, {path, "--depth", "64"}},
      {&kDominatorsCommand, {path, "--json", "--depth", "200"}},
      {&kRetainersCommand, {path, id}},
      {&kRetainersCommand, {path, id, "--json"}},
      {&kShowCommand, {path, id}},
      {&kShowCommand, {path, id, "--json"}},
      {&kFindCommand, {path, "--class", "."}},
      {&kFindCommand, {path, "--name", ".", "--json"}},
      {&kStringsCommand, {path}},
      {&kStringsCommand, {path, "--json"}},
      {&kNodesCommand, {path}},
      {&kDiffCommand, {path, path}},
      {&kDiffCommand, {path, path, "--json"}},
      {&kLeaksCommand, {path, path, path}},
      {&kLeaksCommand, {path, path, path, "--json"}},
  };
  const auto& [command, argv] = runs[size % runs.size()];
  cache::clear_entries(cache::default_cache_dir());
  fuzz::run_command(*command, argv);
  return 0;
}
