// Snapshot analysis pipeline (see snapshot.h).
#include "analysis/snapshot.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <latch>

#include "analysis/distances.h"
#include "analysis/roots.h"
#include "analysis/shallow_sizes.h"
#include "analysis/weakmap_edges.h"
#include "loader/snapshot_loader.h"
#include "util/in_parallel.h"

namespace heapwise {

namespace {

class Stopwatch {
 public:
  double lap() {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

uint64_t current_rss_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long pages_total = 0, pages_resident = 0;
  int got = std::fscanf(f, "%lu %lu", &pages_total, &pages_resident);
  std::fclose(f);
  return got == 2 ? static_cast<uint64_t>(pages_resident) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

uint64_t peak_rss_bytes() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  unsigned long kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %lu kB", &kib) == 1) break;
  std::fclose(f);
  return static_cast<uint64_t>(kib) * 1024;
}

void Snapshot::record(const char* phase, double seconds) const {
  timings_.push_back({phase, seconds, current_rss_bytes(), peak_rss_bytes()});
}

Result<std::unique_ptr<Snapshot>> Snapshot::open(const std::string& path, bool progress) {
  LoadOptions options;
  options.progress = progress;
  LoadTimings load_timings;
  auto graph = load_snapshot(path, options, &load_timings);
  if (!graph.ok()) return graph.error();
  const PhaseTiming parse{"parse", load_timings.parse_seconds, current_rss_bytes(), peak_rss_bytes()};
  std::vector<PhaseTiming> parse_phases{parse};
  for (const auto& [section, seconds] : load_timings.section_seconds)
    parse_phases.push_back({"  \"" + section + "\"", seconds, 0, 0});
  auto snapshot = std::make_unique<Snapshot>(std::move(graph.value()));
  snapshot->timings_.insert(snapshot->timings_.begin(), parse_phases.begin(), parse_phases.end());
  return snapshot;
}

Snapshot::Snapshot(std::unique_ptr<HeapGraph> graph) : graph_(std::move(graph)), names_(graph_->strings) {
  const HeapGraph& g = *graph_;
  Stopwatch clock;
  a_.dom = compute_dom_state(g, names_);
  record("DOM state", clock.lap());

  // Two independent chains share the two cores: distances and class names
  // (the only phase that adds names) on a helper thread, page ownership and
  // the dominator tree here. The dominator pass waits for the helper before
  // it fills its predecessor lists, the moment of the analysis's peak
  // memory, so that the helper's passes never add their own working memory
  // to it, and the shallow sizes wait until the pass has freed its own.
  // Neither chain writes anything the other reads.
  double distance_seconds = 0, class_name_seconds = 0, ownership_seconds = 0, dominator_seconds = 0;
  ImmediateDominators dominators;
  std::latch helper_done(1);
  in_parallel(
      [&] {
        BitArray page_owned = compute_page_owned(g);
        ownership_seconds = clock.lap();
        WeakMapEdgeNames weakmap_names(g);
        dominators = compute_dominators(g, page_owned, weakmap_names, [&] { helper_done.wait(); });
        dominator_seconds = clock.lap();
      },
      [&] {
        struct CountDown {
          std::latch& latch;
          ~CountDown() { latch.count_down(); }  // also when a pass throws: the other side waits
        } count_down{helper_done};
        Stopwatch helper_clock;
        WeakMapEdgeNames weakmap_names(g);
        a_.distances = compute_distances(g, weakmap_names);
        distance_seconds = helper_clock.lap();
        a_.class_names = compute_class_names(g, a_.dom, names_);
        class_name_seconds = helper_clock.lap();
      });
  record("page ownership", ownership_seconds);
  record("dominator tree", dominator_seconds);
  record("distances (in parallel)", distance_seconds);
  record("class names (in parallel)", class_name_seconds);
  clock.lap();
  BigArray<uint32_t> child_counts;
  double count_seconds = 0;
  in_parallel([&] { a_.self_sizes = compute_shown_self_sizes(g); },
              [&] {
                Stopwatch count_clock;
                child_counts = count_dominator_children(g, dominators);
                count_seconds = count_clock.lap();
              });
  record("shallow sizes", clock.lap());
  record("children counted (in parallel)", count_seconds);
  a_.dominators = build_dominator_tree(g, std::move(dominators), std::move(child_counts), a_.self_sizes);
  record("retained sizes, children", clock.lap());
}

void Snapshot::summarise() const {
  std::call_once(summary_once_, [&] {
    const HeapGraph& g = *graph_;
    Stopwatch clock;
    // Statistics need nothing the aggregates write: the second core takes them.
    double statistics_seconds = 0;
    in_parallel(
        [&] {
          a_.aggregates = compute_class_aggregates(g, names_, a_.class_names.class_index, a_.self_sizes, a_.distances,
                                                   a_.dominators);
        },
        [&] {
          Stopwatch statistics_clock;
          a_.statistics = compute_statistics(g, a_.self_sizes, a_.dominators);
          statistics_seconds = statistics_clock.lap();
        });
    record("aggregates", clock.lap());
    record("statistics (in parallel)", statistics_seconds);
  });
}

Snapshot::Snapshot(std::unique_ptr<HeapGraph> graph, const std::vector<std::string>& added_names,
                   SnapshotAnalyses analyses, std::shared_ptr<const void> backing)
    : backing_(std::move(backing)), graph_(std::move(graph)), names_(graph_->strings), a_(std::move(analyses)) {
  for (const std::string& name : added_names) names_.add(name);
  std::call_once(summary_once_, [] {});  // the cache holds the aggregates and statistics
}

const RetainerIndex& Snapshot::retainers() const {
  std::call_once(retainers_once_, [&] { retainers_ = std::make_unique<RetainerIndex>(*graph_); });
  return *retainers_;
}

const ScriptIndex& Snapshot::scripts() const {
  std::call_once(scripts_once_, [&] { scripts_ = std::make_unique<ScriptIndex>(*graph_); });
  return *scripts_;
}

NodeIndex Snapshot::dominator(NodeIndex n) const {
  std::call_once(dominators_once_, [&] { idom_ = immediate_dominators(*graph_, a_.dominators); });
  return idom_[n];
}

NodeIndex Snapshot::find_node(ObjectId id) const {
  // A scan costs milliseconds; a hash map of every id would cost more memory
  // than a few lookups are worth.
  const uint32_t* ids = graph_->node_id.data();
  for (NodeIndex n = 0; n < graph_->node_count; ++n)
    if (ids[n] == id) return n;
  return NodeIndex::none();
}

uint32_t Snapshot::trace_node_index(uint32_t trace_node_id) const {
  std::call_once(trace_once_, [&] {
    const auto& nodes = graph_->trace_nodes;
    for (uint32_t i = 0; i < nodes.size(); ++i) trace_by_id_.emplace(nodes[i].id, i);
  });
  auto it = trace_by_id_.find(trace_node_id);
  return it == trace_by_id_.end() ? kNoTraceNode : it->second;
}

}  // namespace heapwise
