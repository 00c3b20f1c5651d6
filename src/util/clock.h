// Wall-clock time as the watch reports it: seconds since the epoch.
#pragma once

#include <chrono>

namespace heapwise {

inline double epoch_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace heapwise
