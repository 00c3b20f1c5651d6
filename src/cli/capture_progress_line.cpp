// The capture's progress line (see capture_progress_line.h).
#include "cli/capture_progress_line.h"

#include <cstdio>

#include "util/progress.h"

namespace heapwise::cli {

CaptureProgressLine::CaptureProgressLine() : enabled_(Progress::stderr_is_tty()) {}

CaptureProgressLine::~CaptureProgressLine() {
  if (drawn_) std::fputs("\r\033[K", stderr);
}

live::CaptureProgressHandler CaptureProgressLine::handler() {
  if (!enabled_) return {};
  return [this](const live::CaptureProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    drawn_ = true;
    std::fprintf(stderr, "\r\033[Kcapturing: %s", live::describe(p).c_str());
    std::fflush(stderr);
  };
}

}  // namespace heapwise::cli
