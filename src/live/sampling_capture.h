// Recording an allocation-sampling profile (HeapProfiler.startSampling /
// stopSampling) from a live process, saved as a .heapprofile DevTools loads.
#pragma once

#include <chrono>
#include <string>

#include "live/target_session.h"

namespace heapwise::live {

struct SamplingOptions {
  std::chrono::milliseconds duration{30000};
  uint64_t interval_bytes = 32768;  // V8's default mean sampling interval
};

// Writes the profile to path (via path.partial); returns its sampled bytes.
// Stops sampling on every path out, so the target is left as it was.
uint64_t record_sampling_profile(TargetSession& session, const std::string& path, const SamplingOptions& options);

}  // namespace heapwise::live
