// Snapshot: one loaded heap snapshot with the analyses every command needs,
// computed once, in DevTools' order (DOM state, page ownership, shallow
// sizes, distances, class names, dominators and retained sizes), and the
// class aggregates and statistics on first use. Each phase is a pure
// function of the graph and earlier phases.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/aggregates.h"
#include "analysis/class_names.h"
#include "analysis/dom_state.h"
#include "analysis/dominators.h"
#include "analysis/name_table.h"
#include "analysis/scripts.h"
#include "analysis/statistics.h"
#include "graph/heap_graph.h"
#include "graph/retainer_index.h"
#include "graph/size_column.h"
#include "util/result.h"

namespace heapwise {

struct PhaseTiming {
  std::string phase;
  double seconds;
  uint64_t rss_bytes;   // resident set size at the end of the phase
  uint64_t peak_bytes;  // the process's peak resident set size so far
};

// Resident set size of this process now, and its peak so far (0 if unknown).
uint64_t current_rss_bytes();
uint64_t peak_rss_bytes();

// Everything the analysis computes from a graph, as one value (the binary
// cache stores it; src/cache/snapshot_codec.cpp).
struct SnapshotAnalyses {
  DomState dom;
  SizeColumn self_sizes;
  BigArray<int32_t> distances;
  ClassNames class_names;
  DominatorTree dominators;
  ClassAggregates aggregates;
  HeapStatistics statistics;
};

class Snapshot {
 public:
  // Loads and analyses `path`; errors are the loader's.
  static Result<std::unique_ptr<Snapshot>> open(const std::string& path, bool progress);
  // Analyses an already loaded graph.
  explicit Snapshot(std::unique_ptr<HeapGraph> graph);
  // A graph with analyses computed earlier (the cache), and the names they
  // added; `backing` owns the memory their arrays borrow (a mapped entry).
  Snapshot(std::unique_ptr<HeapGraph> graph, const std::vector<std::string>& added_names, SnapshotAnalyses analyses,
           std::shared_ptr<const void> backing);

  const HeapGraph& graph() const { return *graph_; }
  const NameTable& names() const { return names_; }
  std::string_view class_name(NodeIndex n) const { return names_[a_.class_names.class_index[n]]; }
  uint32_t class_index(NodeIndex n) const { return a_.class_names.class_index[n]; }
  // Display name of a node (DOM renames applied).
  std::string_view node_name(NodeIndex n) const { return names_[a_.dom.name_of(*graph_, n)]; }
  uint64_t self_size(NodeIndex n) const { return a_.self_sizes[n]; }
  uint64_t retained_size(NodeIndex n) const { return a_.dominators.retained[n]; }
  int32_t distance(NodeIndex n) const { return a_.distances[n]; }
  // The immediate dominator (the root's: itself); the first call reads them all back from the tree.
  NodeIndex dominator(NodeIndex n) const;
  const DominatorTree& dominator_tree() const { return a_.dominators; }
  // Built on first use: `leaks` and the commands about single objects never
  // ask (a fifth of the analysis after the parse).
  const ClassAggregates& aggregates() const {
    summarise();
    return a_.aggregates;
  }
  const HeapStatistics& statistics() const {
    summarise();
    return a_.statistics;
  }
  // The phases computed so far.
  const std::vector<PhaseTiming>& timings() const { return timings_; }
  uint8_t dom_state(NodeIndex n) const { return a_.dom.state.empty() ? 0 : a_.dom.state[n]; }
  // Every analysis (the cache stores them all).
  const SnapshotAnalyses& analyses() const {
    summarise();
    return a_;
  }

  // Built on first use (the commands that need them pay for them).
  const RetainerIndex& retainers() const;
  // Node with V8 id `id`, or NodeIndex::none().
  NodeIndex find_node(ObjectId id) const;
  // Index into graph().trace_nodes of the trace node with this id, or kNoTraceNode.
  uint32_t trace_node_index(uint32_t trace_node_id) const;
  // The scripts the heap describes (built on first use).
  const ScriptIndex& scripts() const;

  // Adds a phase to timings(), with the resident set size now and the peak.
  void record(const char* phase, double seconds) const;

 private:
  // Computes the aggregates and statistics once (both at a time, on two cores).
  void summarise() const;

  std::shared_ptr<const void> backing_;  // first: it outlives the arrays that borrow from it
  std::unique_ptr<HeapGraph> graph_;
  NameTable names_;
  mutable SnapshotAnalyses a_;  // mutable: summarise() fills its last two members
  mutable std::vector<PhaseTiming> timings_;

  mutable std::once_flag summary_once_, retainers_once_, trace_once_, scripts_once_, dominators_once_;
  mutable BigArray<uint32_t> idom_;
  mutable std::unique_ptr<ScriptIndex> scripts_;
  mutable std::unique_ptr<RetainerIndex> retainers_;
  mutable std::unordered_map<uint32_t, uint32_t> trace_by_id_;
};

}  // namespace heapwise
