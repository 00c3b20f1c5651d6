// `watch --hunt`: when the trend test suspects a leak, three snapshots over
// the same inspector session, then the `leaks` report on them. A hunt cut
// short (Ctrl-C/SIGTERM, the target exiting or failing mid-capture) keeps
// the complete snapshots it took, names them in a `hunt-incomplete` alert
// and says so; an incomplete capture never leaves a file.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "live/object_id_sentinel.h"
#include "watch/alert_log.h"
#include "watch/guarded_capture.h"
#include "watch/snapshot_store.h"
#include "watch/watch_state.h"

namespace heapwise::watch {

struct HuntOptions {
  bool enabled = false;
  // V8's allocation tracking from the first snapshot to the last, so the
  // leaked objects carry their allocation stacks (live/allocation_tracking.h).
  bool track_allocations = false;
  std::chrono::milliseconds interval{60000}, cooldown{1800000};
};

// Waits while serving what must be served meanwhile; false when the target went away.
using Idle = std::function<bool(std::chrono::milliseconds)>;

enum class HuntEnd {
  reported,     // three snapshots and the leak report
  not_taken,    // refused (budget) or abandoned (ids reset twice, a capture failed); the watch goes on
  interrupted,  // Ctrl-C/SIGTERM before the third snapshot
  target_gone   // the target exited before the third snapshot
};

class Hunt {
 public:
  Hunt(const HuntOptions& options, live::TargetSession& session, GuardedCapture& capture,
       live::ObjectIdSentinel& sentinel, const SnapshotStore& store, AlertLog& alerts, SharedWatchState& state)
      : options_(options),
        session_(session),
        capture_(capture),
        sentinel_(sentinel),
        store_(store),
        alerts_(alerts),
        state_(state) {}

  // Whether a hunt may start now (enabled, and the cooldown since the last has passed).
  bool due() const;
  // Runs one hunt; the report goes to `report`, status lines to `log`.
  HuntEnd run(const Idle& idle, std::ostream& report, std::ostream& log);

 private:
  HuntOptions options_;
  live::TargetSession& session_;
  GuardedCapture& capture_;
  live::ObjectIdSentinel& sentinel_;
  const SnapshotStore& store_;
  AlertLog& alerts_;
  SharedWatchState& state_;
  // Says that the hunt ends incomplete, and which snapshots it keeps.
  void incomplete(const std::string& why, const std::vector<std::string>& kept, std::ostream& log);

  std::optional<std::chrono::steady_clock::time_point> last_;
};

}  // namespace heapwise::watch
