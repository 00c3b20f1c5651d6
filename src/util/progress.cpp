// Progress bar drawing (see progress.h).
#include "util/progress.h"

#include <unistd.h>

#include <cstdio>

namespace heapwise {

bool Progress::stderr_is_tty() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && stderr_is_tty()) {
  if (!enabled_) return;
  start_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) draw();
  });
}

Progress::~Progress() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

void Progress::draw() {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double mb = static_cast<double>(done_.load(std::memory_order_relaxed)) / 1e6;
  double rate = secs > 0 ? mb / secs : 0;
  if (total_) {
    double frac = mb * 1e6 / static_cast<double>(total_);
    if (frac > 1) frac = 1;
    int width = 30, filled = static_cast<int>(frac * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(static_cast<size_t>(width), '.');
    std::fprintf(stderr, "\r\033[K%s [%s] %.0f/%.0f MB  %.0f MB/s", label_.c_str(), bar.c_str(), mb,
                 static_cast<double>(total_) / 1e6, rate);
  } else {
    std::fprintf(stderr, "\r\033[K%s %.0f MB  %.0f MB/s", label_.c_str(), mb, rate);
  }
  std::fflush(stderr);
}

}  // namespace heapwise
