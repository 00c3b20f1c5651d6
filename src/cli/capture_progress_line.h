// A capture's progress (V8 walking the heap, then writing) on one stderr
// line: on a terminal only, redrawn at most five times a second, erased at
// the end.
#pragma once

#include <chrono>

#include "live/snapshot_capture.h"

namespace heapwise::cli {

class CaptureProgressLine {
 public:
  CaptureProgressLine();
  ~CaptureProgressLine();
  CaptureProgressLine(const CaptureProgressLine&) = delete;
  CaptureProgressLine& operator=(const CaptureProgressLine&) = delete;

  // Empty when stderr is not a terminal.
  live::CaptureProgressHandler handler();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace heapwise::cli
