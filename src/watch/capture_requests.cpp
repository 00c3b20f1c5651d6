// Queued capture requests (see capture_requests.h).
#include "watch/capture_requests.h"

namespace heapwise::watch {

std::future<CaptureOutcome> CaptureRequests::submit() {
  std::promise<CaptureOutcome> p;
  auto f = p.get_future();
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_)
    p.set_value(CaptureOutcome::unavailable_because(closed_reason_));
  else
    queue_.push_back(std::move(p));
  return f;
}

bool CaptureRequests::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return !queue_.empty();
}

void CaptureRequests::serve(const std::function<CaptureOutcome()>& capture) {
  for (;;) {
    std::promise<CaptureOutcome> p;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.empty()) return;
      p = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      p.set_value(capture());
    } catch (const std::exception& e) {
      p.set_value(CaptureOutcome::unavailable_because(e.what()));
      throw;  // the loop decides what a failed capture means for the watch
    }
  }
}

void CaptureRequests::close(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  closed_reason_ = reason;
  for (auto& p : queue_) p.set_value(CaptureOutcome::unavailable_because(reason));
  queue_.clear();
}

}  // namespace heapwise::watch
