// Snapshot captures asked for over HTTP (POST /memory/snapshot). The
// inspector session belongs to the watch loop's thread, so a request is
// queued here and the loop runs it between samples; the HTTP thread waits
// for the outcome. When the watch ends, pending and later requests fail.
#pragma once

#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>

namespace heapwise::live {

struct CaptureOutcome {
  int http_status = 200;  // 200, 409 (refused: heap too big, no headroom), 503 (watch ending, target gone)
  std::string file;       // name inside the snapshot directory
  std::string error;
  uint64_t bytes = 0;
  double seconds = 0;
};

class CaptureRequests {
 public:
  // HTTP side.
  std::future<CaptureOutcome> submit();
  // Watch-loop side: runs `capture` once per pending request, in order.
  void serve(const std::function<CaptureOutcome()>& capture);
  bool pending() const;
  // Fails every pending and later request with 503 and `reason`.
  void close(const std::string& reason);

 private:
  mutable std::mutex mutex_;
  std::deque<std::promise<CaptureOutcome>> queue_;
  bool closed_ = false;
  std::string closed_reason_;
};

}  // namespace heapwise::live
