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

namespace heapwise::watch {

struct CaptureOutcome {
  enum class Status {
    taken,       // `file` was written
    refused,     // not now: heap too big, no memory headroom (`reason`)
    unavailable  // the watch is ending or the target is gone (`reason`)
  };
  Status status = Status::taken;
  std::string file;  // name inside the snapshot directory
  std::string reason;
  uint64_t bytes = 0;
  double seconds = 0;

  static CaptureOutcome refused_because(std::string why) { return {Status::refused, "", std::move(why)}; }
  static CaptureOutcome unavailable_because(std::string why) { return {Status::unavailable, "", std::move(why)}; }
};

class CaptureRequests {
 public:
  // HTTP side.
  std::future<CaptureOutcome> submit();
  // Watch-loop side: runs `capture` once per pending request, in order.
  void serve(const std::function<CaptureOutcome()>& capture);
  bool pending() const;
  // Answers every pending and later request `unavailable` with `reason`.
  void close(const std::string& reason);

 private:
  mutable std::mutex mutex_;
  std::deque<std::promise<CaptureOutcome>> queue_;
  bool closed_ = false;
  std::string closed_reason_;
};

}  // namespace heapwise::watch
