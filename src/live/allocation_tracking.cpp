// Allocation tracking for a scope (see allocation_tracking.h).
#include "live/allocation_tracking.h"

#include <chrono>

namespace heapwise::live {

namespace {
const auto kTimeout = std::chrono::milliseconds(10000);
}

AllocationTracking::AllocationTracking(TargetSession& session) : session_(session) {
  session_.cdp().call("HeapProfiler.enable", nlohmann::json::object(), kTimeout);
  session_.cdp().call("HeapProfiler.startTrackingHeapObjects", {{"trackAllocations", true}}, kTimeout);
}

AllocationTracking::~AllocationTracking() {
  try {
    session_.cdp().call("HeapProfiler.disable", nlohmann::json::object(), kTimeout);
  } catch (const CdpError&) {
    // The target is gone (its tracking with it) or stopped answering; the
    // inspector disables the agent when our session closes in any case.
  }
}

}  // namespace heapwise::live
