// Snapshot analysis pipeline (see snapshot.h).
#include "analysis/snapshot.h"

#include <chrono>

#include "analysis/distances.h"
#include "analysis/roots.h"
#include "analysis/shallow_sizes.h"
#include "analysis/weakmap_edges.h"
#include "snapshot/snapshot_loader.h"

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

Result<std::unique_ptr<Snapshot>> Snapshot::open(const std::string& path, bool progress) {
  LoadOptions options;
  options.progress = progress;
  LoadTimings load_timings;
  auto graph = load_snapshot(path, options, &load_timings);
  if (!graph.ok()) return graph.error();
  auto snapshot = std::make_unique<Snapshot>(std::move(graph.value()));
  snapshot->timings_.insert(snapshot->timings_.begin(), PhaseTiming{"parse", load_timings.parse_seconds});
  return snapshot;
}

Snapshot::Snapshot(std::unique_ptr<HeapGraph> graph) : graph_(std::move(graph)), names_(graph_->strings) {
  const HeapGraph& g = *graph_;
  Stopwatch clock;
  dom_ = compute_dom_state(g, names_);
  BigArray<uint8_t> page_owned = compute_page_owned(g);
  has_user_roots_ = heapwise::has_user_roots(g);
  self_sizes_ = compute_shown_self_sizes(g);
  record("index", clock.lap());

  WeakMapEdgeNames weakmap_names(g);
  distances_ = compute_distances(g, weakmap_names);
  record("distances", clock.lap());

  class_names_ = compute_class_names(g, dom_, names_);
  record("class names", clock.lap());

  dominators_ = compute_dominators(g, page_owned, weakmap_names, self_sizes_);
  page_owned.clear();
  record("dominators + retained sizes", clock.lap());

  build_dominator_children(g, dominators_);
  aggregates_ = compute_class_aggregates(g, names_, class_names_.class_index, self_sizes_, distances_, dominators_);
  statistics_ = compute_statistics(g, self_sizes_, dominators_);
  record("aggregates + statistics", clock.lap());
}

}  // namespace heapwise
