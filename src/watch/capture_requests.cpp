// Requested captures (see capture_requests.h).
#include "watch/capture_requests.h"

#include <cmath>
#include <exception>

namespace heapwise::watch {

void CaptureRequests::submit(Done done, double now) {
  CaptureOutcome refused;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) {
      refused = CaptureOutcome::because(CaptureOutcome::Status::unavailable, closed_reason_);
    } else if (waiting_ || running_) {
      refused =
          CaptureOutcome::because(CaptureOutcome::Status::busy, "a capture is already in progress; one at a time");
    } else if (const double wait = ration_.wait(now, last_end_, last_seconds_); wait > 0) {
      const double interval = ration_.interval_after(last_seconds_);
      refused = CaptureOutcome::because(
          CaptureOutcome::Status::rationed,
          "captures are rationed to one per " + std::to_string(static_cast<int64_t>(std::ceil(interval))) +
              " s (--capture-interval); try again in " + std::to_string(static_cast<int64_t>(std::ceil(wait))) + " s");
      refused.retry_after = std::ceil(wait);
    } else {
      waiting_ = std::move(done);
      return;
    }
  }
  done(refused);
}

bool CaptureRequests::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.has_value();
}

void CaptureRequests::captured(double end, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_end_ = end;
  last_seconds_ = seconds;
}

void CaptureRequests::serve(const std::function<CaptureOutcome()>& capture) {
  Done done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!waiting_) return;
    done = std::move(*waiting_);
    waiting_.reset();
    running_ = true;
  }
  // The capture is over before its answer goes out: a client that asks
  // again the moment it has the answer is told `rationed`, not `busy`
  // (the capture recorded itself for the ration, captured(), before returning).
  CaptureOutcome outcome;
  std::exception_ptr failure;  // the loop decides what a failed capture means for the watch
  try {
    outcome = capture();
  } catch (const std::exception& e) {
    outcome = CaptureOutcome::because(CaptureOutcome::Status::unavailable, e.what());
    failure = std::current_exception();
  } catch (...) {
    outcome = CaptureOutcome::because(CaptureOutcome::Status::unavailable, "the capture failed");
    failure = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
  done(outcome);
  if (failure) std::rethrow_exception(failure);
}

void CaptureRequests::close(const std::string& reason) {
  std::optional<Done> waiting;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    closed_reason_ = reason;
    waiting.swap(waiting_);
  }
  if (waiting) (*waiting)(CaptureOutcome::because(CaptureOutcome::Status::unavailable, reason));
}

}  // namespace heapwise::watch
