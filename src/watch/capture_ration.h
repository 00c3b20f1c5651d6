// How often captures may be asked for. A capture stops the target's event
// loop for as long as it runs (seconds per hundred MB of heap), so
// requested captures are rationed: after a capture that took S seconds the
// next request waits --capture-interval, or by default max(30 s, 20 × S),
// which keeps the target stopped for captures at most 5% of the time.
#pragma once

#include <optional>

namespace heapwise::watch {

struct CaptureRation {
  std::optional<double> interval;  // seconds (--capture-interval); nullopt: from the last capture

  static constexpr double kMinInterval = 30;
  static constexpr double kMaxBlockedShare = 0.05;

  // The interval that follows a capture of `last_seconds`.
  double interval_after(double last_seconds) const;
  // Seconds before a request may capture (0: now), given when the last
  // capture ended and how long it took (last_end < 0: none yet).
  double wait(double now, double last_end, double last_seconds) const;
};

}  // namespace heapwise::watch
