// Capturing a heap snapshot from a live process: streamed chunk by chunk to
// FILE.partial and renamed into place only when complete, so a failed or
// interrupted capture leaves nothing behind; the client's memory stays flat.
#pragma once

#include <cstdint>
#include <string>

#include "live/target_session.h"

namespace heapwise::live {

struct CaptureResult {
  uint64_t bytes = 0;
  uint64_t chunks = 0;
  double seconds = 0;
};

// Throws CdpError (and removes the partial file) when the capture fails.
CaptureResult capture_heap_snapshot(TargetSession& session, const std::string& path, bool collect_garbage,
                                    bool progress);

}  // namespace heapwise::live
