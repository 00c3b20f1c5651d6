// Capture rationing (see capture_ration.h).
#include "watch/capture_ration.h"

#include <algorithm>

namespace heapwise::watch {

double CaptureRation::interval_after(double last_seconds) const {
  if (interval) return *interval;
  return std::max(kMinInterval, last_seconds / kMaxBlockedShare);
}

double CaptureRation::wait(double now, double last_end, double last_seconds) const {
  if (last_end < 0) return 0;
  return std::max(0.0, last_end + interval_after(last_seconds) - now);
}

}  // namespace heapwise::watch
