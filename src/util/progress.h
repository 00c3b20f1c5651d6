// Progress: a one-line progress bar on stderr, shown only when stderr is a TTY.
// Workers add bytes from any thread; a background thread redraws 5 times a second.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace heapwise {

class Progress {
 public:
  // total: expected bytes (0 if unknown). enabled=false makes this a no-op.
  Progress(std::string label, uint64_t total, bool enabled);
  ~Progress();  // erases the line
  void add(uint64_t bytes) { done_.fetch_add(bytes, std::memory_order_relaxed); }
  void set(uint64_t bytes) { done_.store(bytes, std::memory_order_relaxed); }
  static bool stderr_is_tty();

 private:
  void draw();
  std::string label_;
  uint64_t total_;
  std::atomic<uint64_t> done_{0};
  bool enabled_;
  bool stop_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace heapwise
