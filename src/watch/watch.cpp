// The watch loop (see watch.h).
#include "watch/watch.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "live/child_target.h"
#include "live/interrupt.h"
#include "live/memory_sampler.h"
#include "live/object_id_sentinel.h"
#include "live/process_attach.h"
#include "live/target_session.h"
#include "util/clock.h"
#include "util/format.h"
#include "watch/guarded_capture.h"

namespace heapwise::watch {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::string leak_trend_text(const TrendVerdict& v) {
  std::string text = "heap after GC grows " + mb_per_min(v.slope_bytes_per_second) +
                     " (Mann-Kendall p=" + std::to_string(v.p_value).substr(0, 8) + ", " + std::to_string(v.points) +
                     " post-GC levels)";
  if (v.seconds_to_limit >= 0)
    text += "; the heap limit is reached in ~" + std::to_string(static_cast<int64_t>(v.seconds_to_limit / 60)) + " min";
  return text;
}

}  // namespace

std::string mb_per_min(double bytes_per_second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f MB/min", bytes_per_second * 60 / 1e6);
  return buf;
}

Watch::Watch(WatchOptions options, WatchOutput output)
    : options_(std::move(options)),
      out_(output),
      captures_(CaptureRation{options_.capture_interval}),
      store_(options_.snapshot_dir, options_.max_snapshots, options_.disk_budget) {
  state_.write([&](WatchState& w) {
    w.history_limit = options_.history;
    w.trend_options = options_.trend;
    w.interval_seconds = static_cast<double>(options_.interval.count()) / 1000;
    w.started = epoch_seconds();
    w.target = options_.target.describe();
  });
  alerts_ = std::make_unique<AlertLog>(options_.events_file, state_);
}

Watch::~Watch() = default;

WatchSummary Watch::run() {
  // However run() ends, no request waits for a capture that will not come
  // (a server thread waiting on one could not be stopped).
  struct CloseCaptures {
    CaptureRequests& c;
    ~CloseCaptures() { c.close("the watch has ended"); }
  } close_captures{captures_};
  live::TargetSpec spec = options_.target;
  std::unique_ptr<live::ChildTarget> child;
  if (!options_.program.empty()) {
    child = std::make_unique<live::ChildTarget>(options_.program);
    spec.url = child->websocket_url();
  }
  live::TargetSession session(spec);
  live::MemorySampler sampler(session);
  // A target still starting (a child just launched) may not answer these
  // yet: what is missing is asked again after each sample until known.
  uint64_t limit = sampler.heap_limit();
  const uint64_t max_heap = max_heap_bytes(limit);
  std::string node_version = sampler.node_version();
  state_.write([&](WatchState& w) {
    w.target = spec.describe();
    w.pid = session.target_pid();
    w.node_version = node_version;
    w.heap_limit = limit;
  });
  out_.log << "heapwise watch: watching " << spec.describe()
           << (spec.pid ? "" : " (PID " + std::to_string(session.target_pid()) + ")") << ", every "
           << options_.interval.count() << " ms; heap limit " << (limit ? format_size(limit) : "not known yet") << "\n";

  bool target_gone = false;
  auto on_event = [&](const std::string& method, const nlohmann::json&) {
    if (method == "Runtime.executionContextDestroyed") target_gone = true;
  };
  GuardedCapture guarded(session, state_, store_, captures_, options_.max_capture_heap);
  live::ObjectIdSentinel sentinel(session);
  Hunt hunt(options_.hunt, session, guarded, sentinel, store_, *alerts_, state_);
  auto capture_on_request = [&]() -> CaptureOutcome {
    try {
      const auto r = guarded.capture(store_.new_path("snapshot", SnapshotStore::stamp_now()), "request");
      if (r.refused) return CaptureOutcome::because(CaptureOutcome::Status::refused, *r.refused);
      out_.log << "heapwise watch: captured " << r.path << " on request (" << format_size(r.capture.bytes) << ")\n";
      CaptureOutcome taken;
      taken.file = std::filesystem::path(r.path).filename().string();
      taken.bytes = r.capture.bytes;
      taken.seconds = r.capture.seconds;
      return taken;
    } catch (const live::CdpError& e) {
      return CaptureOutcome::because(CaptureOutcome::Status::unavailable, std::string("capture failed: ") + e.what());
    }
  };
  // Waits for `d`, answering capture requests and events meanwhile.
  const Idle idle = [&](std::chrono::milliseconds d) {
    const auto until = Clock::now() + d;
    for (;;) {
      if (captures_.pending()) captures_.serve(capture_on_request);
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left.count() <= 0 || live::interrupted()) return true;
      if (!session.cdp().wait_events(std::min(left, std::chrono::milliseconds(100)), on_event)) target_gone = true;
      if (target_gone) return false;
    }
  };

  WatchSummary summary;
  summary.heap_limit = limit;
  summary.trend_min_points = options_.trend.min_points;
  uint64_t heap_lo = UINT64_MAX;
  const auto start = Clock::now();
  while (!live::interrupted() && !target_gone) {
    live::MemorySample s;
    try {
      s = sampler.sample(seconds_since(start), on_event);
    } catch (const live::CdpError& e) {
      // It exited (or closed the connection) between samples, or stopped answering.
      const char state = session.target_pid() > 0 ? live::process_state(session.target_pid()) : 0;
      if (live::is_stopped(state))
        out_.log << "heapwise watch: the target is stopped (SIGSTOP) and does not answer; the watch ends\n";
      else if (state != 0 && state != 'Z')
        out_.log << "heapwise watch: the target does not answer (" << e.what() << "); the watch ends\n";
      target_gone = true;
      break;
    }
    if (!limit && (limit = sampler.heap_limit())) {
      summary.heap_limit = limit;
      state_.write([&](WatchState& w) { w.heap_limit = limit; });
    }
    if (node_version.empty() && !(node_version = sampler.node_version()).empty())
      state_.write([&](WatchState& w) { w.node_version = node_version; });
    ++summary.samples;
    heap_lo = std::min(heap_lo, s.heap_used);
    summary.heap_max = std::max(summary.heap_max, s.heap_used);
    state_.add_sample(s);
    check_thresholds(s, max_heap);
    summary.trend = test_trend(state_.read([](const WatchState& w) { return w.heap_levels(); }), options_.trend,
                               static_cast<double>(limit));
    check_trend(summary.trend);
    if (summary.trend.leak && hunt.due()) {
      const HuntEnd end = hunt.run(idle, out_.report, out_.log);
      if (end == HuntEnd::interrupted || end == HuntEnd::target_gone) {
        summary.hunt_incomplete = true;
        target_gone = end == HuntEnd::target_gone;
        break;
      }
      // Captures disturb the sawtooth: the trend starts afresh.
      const double resumed = seconds_since(start);
      state_.write([&](WatchState& w) { w.trend_from = resumed; });
      if (options_.once) break;
    }
    if (out_.progress)
      out_.log << "\r\033[K"
               << "heap " << format_size(s.heap_used) << " / " << format_size(s.heap_total) << ", RSS "
               << format_size(s.resident()) << std::flush;
    if (!idle(options_.interval)) break;
  }
  if (out_.progress) out_.log << "\r\033[K";
  captures_.close(target_gone ? "the target exited" : "the watch has ended");
  session.leave();
  if (child) child->stop();

  summary.target = spec.describe();
  summary.target_exited = target_gone;
  summary.seconds = seconds_since(start);
  summary.heap_min = summary.samples ? heap_lo : 0;
  summary.alerts = alerts_->count();
  state_.read([&](const WatchState& w) {
    for (size_t i = w.history.size() > 10 ? w.history.size() - 10 : 0; i < w.history.size(); ++i)
      summary.last_samples.push_back(w.history[i]);
  });
  return summary;
}

uint64_t Watch::max_heap_bytes(uint64_t heap_limit) const {
  if (options_.max_heap.percent <= 0) return options_.max_heap.bytes;
  if (!heap_limit) throw WatchError("cannot read the target's heap limit for --max-heap %");
  return static_cast<uint64_t>(static_cast<double>(heap_limit) * options_.max_heap.percent / 100);
}

void Watch::check_thresholds(const live::MemorySample& s, uint64_t max_heap) {
  const uint64_t rss = s.resident();
  if (heap_above_.crossed(max_heap && s.heap_used > max_heap))
    alerts_->emit("max-heap", "heap used " + format_size(s.heap_used) + " is above " + format_size(max_heap),
                  {{"heap_used", s.heap_used}, {"threshold", max_heap}});
  if (rss_above_.crossed(options_.max_rss && rss > *options_.max_rss))
    alerts_->emit("max-rss", "RSS " + format_size(rss) + " is above " + format_size(*options_.max_rss),
                  {{"rss", rss}, {"threshold", *options_.max_rss}});
}

void Watch::check_trend(const TrendVerdict& verdict) {
  state_.write([&](WatchState& w) { w.trend = verdict; });
  if (verdict.leak && !leak_alerted_)
    alerts_->emit("leak-trend", leak_trend_text(verdict),
                  {{"slope_bytes_per_second", verdict.slope_bytes_per_second},
                   {"p_value", verdict.p_value},
                   {"confidence", verdict.confidence},
                   {"seconds_to_limit", verdict.seconds_to_limit}});
  leak_alerted_ = verdict.leak;
}

}  // namespace heapwise::watch
