// V8's allocation tracking over an inspector session, on for a scope: while
// it is on, every object the target allocates records its allocation stack,
// and the snapshots taken meanwhile carry those stacks (trace nodes).
//
// It is costly (measured in docs/leak-findings.md): V8 records a stack per
// allocation, and the inspector collects garbage and walks the heap every
// 50 ms while tracking. So `watch --hunt` turns it on only when asked.
#pragma once

#include "live/target_session.h"

namespace heapwise::live {

class AllocationTracking {
 public:
  // Starts tracking. Throws CdpError.
  explicit AllocationTracking(TargetSession& session);
  // Stops it with HeapProfiler.disable: stopTrackingHeapObjects would take
  // (and send) one more full snapshot. Disabling also resets V8's object
  // ids, as any inspector session that closes does.
  ~AllocationTracking();
  AllocationTracking(const AllocationTracking&) = delete;
  AllocationTracking& operator=(const AllocationTracking&) = delete;

 private:
  TargetSession& session_;
};

}  // namespace heapwise::live
