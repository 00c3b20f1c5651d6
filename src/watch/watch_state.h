// What `heapwise watch` knows, shared between its sampling loop (the only
// writer) and the HTTP server's threads (readers): the target, the bounded
// sample history, the trend verdict, alerts, captured snapshots and the last
// leak report. Plain data behind one mutex; renderers read a consistent view
// through read().
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "live/memory_sampler.h"
#include "live/snapshot_capture.h"
#include "watch/trend.h"

namespace heapwise::watch {

struct WatchAlert {
  double time = 0;  // seconds since the epoch
  std::string type, message;
  nlohmann::ordered_json fields;
};

struct CapturedSnapshot {
  std::string file;    // name inside the snapshot directory
  std::string reason;  // "hunt" or "request"
  uint64_t bytes = 0;
  double time = 0, seconds = 0;
};

struct WatchState {
  // Fixed once attached.
  std::string target, node_version;
  int64_t pid = 0;
  uint64_t heap_limit = 0;
  double started = 0;  // seconds since the epoch
  double interval_seconds = 0;
  TrendOptions trend_options;
  size_t history_limit = 0;
  // Changing.
  std::deque<live::MemorySample> history;  // newest last, at most history_limit
  // The trend test reads samples from this time on (t, seconds): a hunt's
  // captures disturb the sawtooth, so the test starts afresh after one
  // while the history (and the chart) keep everything.
  double trend_from = 0;
  uint64_t samples_taken = 0;
  TrendVerdict trend;
  std::deque<WatchAlert> alerts;  // the newest kMaxAlerts
  std::map<std::string, uint64_t> alert_counts;
  std::vector<CapturedSnapshot> snapshots;
  uint64_t snapshots_taken = 0;
  nlohmann::ordered_json leak_report;  // null until a hunt reported
  double leak_report_time = 0;
  std::string activity = "sampling";  // or "hunting", "capturing"
  live::CaptureProgress capture;      // V8's progress, while capturing

  static constexpr size_t kMaxAlerts = 100;
  static constexpr size_t kMaxSnapshotsListed = 50;
  // heapUsed over time since trend_from: the series the trend test reads.
  std::vector<TimedValue> heap_levels() const;
};

class SharedWatchState {
 public:
  template <class F>
  auto read(F&& f) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return f(static_cast<const WatchState&>(state_));
  }
  template <class F>
  auto write(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    return f(state_);
  }

  void add_sample(const live::MemorySample& s);
  void add_alert(WatchAlert alert);
  void add_snapshot(CapturedSnapshot snapshot);

 private:
  mutable std::mutex mutex_;
  WatchState state_;
};

// Sets the watch's activity ("hunting", "capturing") for a scope and puts
// the previous one back, however the scope is left.
class ScopedActivity {
 public:
  ScopedActivity(SharedWatchState& state, const char* activity) : state_(state) {
    state_.write([&](WatchState& w) { before_ = std::exchange(w.activity, activity); });
  }
  ~ScopedActivity() {
    state_.write([&](WatchState& w) { w.activity = before_; });
  }
  ScopedActivity(const ScopedActivity&) = delete;
  ScopedActivity& operator=(const ScopedActivity&) = delete;

 private:
  SharedWatchState& state_;
  std::string before_;
};

}  // namespace heapwise::watch
