// A snapshot capture by `watch` (hunt or request): refused when the heap is
// above --max-capture-heap or the estimated cost exceeds the memory left
// (capture_budget.h), else streamed into the snapshot directory, recorded in
// the shared state, and the directory pruned to its budgets.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "live/snapshot_capture.h"
#include "live/snapshot_store.h"
#include "live/watch_state.h"

namespace heapwise::live {

struct GuardedCaptureResult {
  std::optional<std::string> refused;  // why no snapshot was taken
  std::string path;
  CaptureResult capture;
};

class GuardedCapture {
 public:
  GuardedCapture(TargetSession& session, SharedWatchState& state, const SnapshotStore& store, uint64_t max_capture_heap)
      : session_(session), state_(state), store_(store), max_capture_heap_(max_capture_heap) {}

  // Throws CdpError when the capture fails (no file is left behind).
  GuardedCaptureResult capture(const std::string& path, const std::string& reason,
                               const std::vector<std::string>& keep = {});

 private:
  TargetSession& session_;
  SharedWatchState& state_;
  const SnapshotStore& store_;
  uint64_t max_capture_heap_;
  uint64_t last_node_count_ = 0;  // of the previous capture: the best cost estimate
};

}  // namespace heapwise::live
