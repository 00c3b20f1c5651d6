// The watch: samples a live process's memory, tests the trend on post-GC
// levels, raises alerts, hunts for the leak and runs captures asked for by
// the server, until interrupted or the target exits. The command builds a
// WatchOptions, may put a server on watch.state()/captures()/store(), calls
// run() and renders the WatchSummary it returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "live/memory_sampler.h"
#include "live/process_attach.h"
#include "watch/alert_log.h"
#include "watch/capture_requests.h"
#include "watch/hunt.h"
#include "watch/snapshot_store.h"
#include "watch/trend.h"
#include "watch/watch_state.h"

namespace heapwise::watch {

// The watch cannot go on (e.g. a --max-heap percent without a heap limit).
struct WatchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An alert threshold on heapUsed: bytes, or a percent of V8's heap limit.
struct HeapThreshold {
  uint64_t bytes = 0;  // 0: none
  double percent = 0;  // used when > 0
};

struct WatchOptions {
  live::TargetSpec target;
  std::vector<std::string> program;  // `-- node app.js ...`: started by the watch
  std::chrono::milliseconds interval{5000};
  size_t history = 720;
  TrendOptions trend;
  HeapThreshold max_heap;
  std::optional<uint64_t> max_rss;
  std::optional<std::string> events_file;
  HuntOptions hunt;
  bool once = false;  // end after the first hunt report
  std::string snapshot_dir = "heapwise-snapshots";
  uint64_t max_snapshots = 9;
  uint64_t disk_budget = uint64_t{2} << 30;
  uint64_t max_capture_heap = uint64_t{1} << 30;
  std::optional<double> capture_interval;  // seconds between requested captures; nullopt: capture_ration.h
};

struct WatchSummary {
  std::string target;
  bool target_exited = false;    // else stopped (signal, --once)
  bool hunt_incomplete = false;  // it ended during a hunt (interrupted, or the target exited)
  double seconds = 0;
  uint64_t samples = 0, heap_min = 0, heap_max = 0, heap_limit = 0, alerts = 0;
  TrendVerdict trend;
  size_t trend_min_points = 0;
  std::vector<live::MemorySample> last_samples;  // the newest ten
};

// Where the watch writes while it runs: status lines (`log`, stderr) and the
// hunt's leak report (`report`, stdout); a progress line on `log` when it is
// a terminal.
struct WatchOutput {
  std::ostream& report;
  std::ostream& log;
  bool progress = false;
};

class Watch {
 public:
  // Throws std::runtime_error when the --events file cannot be opened.
  Watch(WatchOptions options, WatchOutput output);
  ~Watch();

  SharedWatchState& state() { return state_; }
  CaptureRequests& captures() { return captures_; }
  const SnapshotStore& store() const { return store_; }

  // Attaches (or starts the program), watches until interrupted or the
  // target is gone, and leaves the target as it was. Throws
  // live::AttachError / live::CdpError when the target cannot be reached,
  // WatchError when an option cannot be applied to it.
  WatchSummary run();

 private:
  // A threshold alert fires once when its figure crosses the limit, and
  // again only after the figure went back under.
  struct Crossing {
    bool above = false;
    bool crossed(bool now_above) {
      const bool was_above = std::exchange(above, now_above);
      return now_above && !was_above;
    }
  };
  uint64_t max_heap_bytes(uint64_t heap_limit) const;
  void check_thresholds(const live::MemorySample& s, uint64_t max_heap);
  void check_trend(const TrendVerdict& verdict);

  WatchOptions options_;
  WatchOutput out_;
  Crossing heap_above_, rss_above_;
  bool leak_alerted_ = false;
  SharedWatchState state_;
  CaptureRequests captures_;
  SnapshotStore store_;
  std::unique_ptr<AlertLog> alerts_;
};

// "0.85 MB/min"
std::string mb_per_min(double bytes_per_second);

}  // namespace heapwise::watch
