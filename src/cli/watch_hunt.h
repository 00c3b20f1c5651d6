// `watch --hunt`: when the trend test suspects a leak, three snapshots over
// the same inspector session, then the `leaks` report on them.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "live/alert_log.h"
#include "live/guarded_capture.h"
#include "live/object_id_sentinel.h"
#include "live/snapshot_store.h"
#include "live/watch_state.h"

namespace heapwise::cli {

struct HuntOptions {
  bool enabled = false;
  std::chrono::milliseconds interval{60000}, cooldown{1800000};
  std::optional<std::chrono::steady_clock::time_point> last;
  bool due() const { return !last || std::chrono::steady_clock::now() - *last >= cooldown; }
};

// Waits while serving what must be served meanwhile; false when the target went away.
using Idle = std::function<bool(std::chrono::milliseconds)>;

// Returns false when the target went away during the hunt.
bool run_hunt(live::GuardedCapture& capture, live::ObjectIdSentinel& sentinel, const live::SnapshotStore& store,
              live::AlertLog& alerts, live::SharedWatchState& state, HuntOptions& hunt, const Idle& idle);

}  // namespace heapwise::cli
