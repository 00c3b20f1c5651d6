// Objects grouped by class and by the function that allocated them, for
// snapshots written with allocation tracking (trace_function_infos/trace_tree).
#pragma once

#include <vector>

#include "analysis/heap_text.h"
#include "analysis/snapshot.h"

namespace heapwise {

struct AllocationSite {
  uint32_t class_row;          // index into aggregates().rows
  StackFrame frame;            // the allocating function (top of the stack)
  std::string caller;          // the frame below it in the call path most objects came through, when known
  uint32_t other_callers = 0;  // further distinct frames the function was called from
  uint64_t count = 0;
  uint64_t self_size = 0;
  NodeIndex example = NodeIndex::none();
};

// One site per class and allocating function (see frame_key for why the
// caller is not part of it). Empty when the snapshot has no allocation
// traces. Objects without a trace (allocated before tracking started) are
// left out. Biggest shallow size first.
std::vector<AllocationSite> allocation_sites(const Snapshot& s);

}  // namespace heapwise
