// A snapshot capture by `watch` (hunt or request): refused when the heap is
// above --max-capture-heap, the estimated cost exceeds the memory left or
// the file would not fit on disk (capture_budget.h), else streamed into the snapshot directory, recorded in
// the shared state, and the directory pruned to its budgets.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "live/snapshot_capture.h"
#include "watch/capture_requests.h"
#include "watch/snapshot_store.h"
#include "watch/watch_state.h"

namespace heapwise::watch {

struct GuardedCaptureResult {
  std::optional<std::string> refused;  // why no snapshot was taken
  std::string path;
  live::CaptureResult capture;
};

class GuardedCapture {
 public:
  GuardedCapture(live::TargetSession& session, SharedWatchState& state, const SnapshotStore& store,
                 CaptureRequests& requests, uint64_t max_capture_heap)
      : session_(session), state_(state), store_(store), requests_(requests), max_capture_heap_(max_capture_heap) {}

  // Throws live::CdpError when the capture fails (no file is left behind).
  // `reason` is "hunt" for the snapshots of a series, else "request".
  GuardedCaptureResult capture(const std::string& path, const std::string& reason);
  // The hunt's series in progress is never pruned, whatever is captured
  // in between (a request during the hunt's waits).
  void begin_series() { series_.clear(); }
  void end_series() { series_.clear(); }

 private:
  live::TargetSession& session_;
  SharedWatchState& state_;
  const SnapshotStore& store_;
  CaptureRequests& requests_;  // told of every capture, for the ration
  uint64_t max_capture_heap_;
  // Of the previous capture: the best estimates of the next one's cost.
  uint64_t last_node_count_ = 0, last_bytes_ = 0, last_heap_used_ = 0;
  std::vector<std::string> series_;
};

}  // namespace heapwise::watch
