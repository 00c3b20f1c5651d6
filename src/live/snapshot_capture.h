// Capturing a heap snapshot from a live process: streamed chunk by chunk to
// an unnamed file (FILE.partial where the file system has no O_TMPFILE)
// that gets its name only when complete, so a failed, interrupted or killed
// capture leaves nothing behind; the client's memory stays flat.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "live/target_session.h"

namespace heapwise::live {

struct CaptureResult {
  uint64_t bytes = 0;
  uint64_t chunks = 0;
  double seconds = 0;
};

// V8's progress, as the protocol reports it: first it walks the heap
// (`done` of `total` objects), then it writes the file (`bytes`).
struct CaptureProgress {
  bool writing = false;
  uint64_t done = 0, total = 0, bytes = 0;
};
using CaptureProgressHandler = std::function<void(const CaptureProgress&)>;

struct CaptureOptions {
  bool collect_garbage = false;  // an extra full GC first
  // A capture with no progress (no answer to its first calls, then neither
  // a progress event nor a chunk) for this long is abandoned: the target
  // is stopped, or stuck.
  std::chrono::milliseconds stall_timeout{30000};
  CaptureProgressHandler on_progress;  // called from the capturing thread
};

// Throws CdpError when the capture fails, stalls or is interrupted (then
// no file is left behind).
CaptureResult capture_heap_snapshot(TargetSession& session, const std::string& path, const CaptureOptions& options);

// "walking the heap 45% (120,000 of 270,000 objects)" / "writing 12.3 MB".
std::string describe(const CaptureProgress& p);

}  // namespace heapwise::live
