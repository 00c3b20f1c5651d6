// Objects grouped by class and by the function that allocated them, for
// snapshots written with allocation tracking (trace_function_infos/trace_tree).
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/heap_text.h"
#include "analysis/snapshot.h"

namespace heapwise {

// One function in allocation stacks, equal from every trace node it is in.
// A site is keyed by its allocating function alone, not by its caller: V8's
// allocation tracker records physical frames, so once the optimizing compiler
// inlines the caller (`emit`) into its own caller (`parserOnIncoming`), the
// same call shows another caller, and splitting by it would cut one site in
// two by however much of the run was optimized.
using FrameKey = std::tuple<std::string, uint32_t, uint32_t, uint32_t>;
FrameKey frame_key(const StackFrame& f);

// The trace nodes merged into one site: the distinct callers they came
// through, and which one holds the most objects (its stack is shown).
class SiteTraces {
 public:
  // Adds a trace node's stack (innermost first) and its objects; true when
  // it now holds the most objects of the site.
  bool add(const std::vector<StackFrame>& stack, uint64_t objects);
  // The callers besides the one of the heaviest trace node.
  uint32_t other_callers() const { return callers_.empty() ? 0 : static_cast<uint32_t>(callers_.size() - 1); }

 private:
  uint64_t most_ = 0;
  std::set<FrameKey> callers_;
};

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
