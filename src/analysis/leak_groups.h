// The leak analysis behind `heapwise leaks`: objects allocated after the
// baseline that stay alive, grouped by the shape of their shortest retainer
// path, with how each group's population grows across the snapshots.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/path_shape.h"
#include "analysis/retainer_paths.h"
#include "analysis/snapshot.h"

namespace heapwise {

struct LeakGroup {
  std::vector<ShapeStep> shape;  // the path shape (analysis/path_shape.h)
  std::string leaked_class;
  uint64_t count = 0;                      // leaked objects (in the final snapshot)
  uint64_t retained_size = 0;              // their retained size in the final snapshot
  std::vector<uint64_t> population;        // objects of this shape in each snapshot
  std::vector<uint64_t> population_bytes;  // their retained bytes in each snapshot
  NodeIndex example = NodeIndex::none();   // in the final snapshot
  RetainerPath example_path;               // in the final snapshot
  bool grows = false;                      // population rose at every step
  // Where the leaked objects were allocated, when the final snapshot has
  // allocation traces: (trace node id, objects), most objects first, the
  // top kAllocationSitesKept; `traced` objects had a trace at all.
  std::vector<std::pair<uint32_t, uint64_t>> allocation_traces;
  uint64_t traced = 0;
  static constexpr size_t kAllocationSitesKept = 5;
  // Average growth per step (first to last snapshot).
  double objects_per_step() const;
  // The fewest objects gained at one step, and whether every step gained
  // at least half of the most gained at one (and there are two steps or more).
  uint64_t least_step_gain() const;
  bool steady() const;
  double bytes_per_step() const;
};

struct LeakAnalysisOptions {
  uint64_t min_size = 100 * 1024;  // bytes of growth from first to last snapshot
  // A group below min_size is still a leak when it is steady: three or more
  // snapshots, at least this many objects gained at every step, and no step
  // under half the biggest (a few hundred small objects per step is a real
  // leak in a service that runs for days).
  uint64_t min_steady_objects = 200;
};

struct LeakAnalysis {
  std::vector<LeakGroup> groups;    // every group with leaked objects, biggest growth first
  uint64_t candidates = 0;          // leaked objects before grouping
  double shared_id_fraction = 1.0;  // baseline ids still present in the target
  bool passes(const LeakGroup& g, const LeakAnalysisOptions& o) const;
};

// snapshots: baseline, target, [more...], final (at least two).
LeakAnalysis analyse_leaks(const std::vector<const Snapshot*>& snapshots, const LeakAnalysisOptions& options);

// Whether heapwise counts a node as program data (not V8 internals).
bool is_user_object(const Snapshot& s, NodeIndex n);

}  // namespace heapwise
