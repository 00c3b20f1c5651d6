// Guarded captures (see guarded_capture.h).
#include "watch/guarded_capture.h"

#include <chrono>
#include <filesystem>

#include "live/cdp_fields.h"
#include "util/clock.h"
#include "watch/capture_budget.h"

namespace heapwise::watch {

GuardedCaptureResult GuardedCapture::capture(const std::string& path, const std::string& reason) {
  GuardedCaptureResult result;
  result.path = path;
  auto usage = session_.cdp().call("Runtime.getHeapUsage", nlohmann::json::object(), std::chrono::milliseconds(10000));
  const uint64_t heap_used = live::count_field(usage, "usedSize");
  const uint64_t cost = estimate_capture_cost(heap_used, last_node_count_);
  result.refused = capture_refusal(heap_used, max_capture_heap_, cost, memory_headroom(session_.target_pid()));
  if (result.refused) return result;
  if (const std::string why = store_.prepare_dir(); !why.empty()) {
    result.refused = why;
    return result;
  }
  result.refused = disk_refusal(estimate_file_bytes(heap_used, last_bytes_, last_heap_used_), store_.disk_budget(),
                                disk_free(store_.dir()), store_.dir());
  if (result.refused) return result;
  {
    ScopedActivity activity(state_, "capturing");
    state_.write([](WatchState& w) { w.capture = {}; });
    live::CaptureOptions options;
    options.collect_garbage = true;
    options.on_progress = [this](const live::CaptureProgress& p) {
      state_.write([&](WatchState& w) { w.capture = p; });
    };
    result.capture = live::capture_heap_snapshot(session_, path, options);
  }
  last_node_count_ = snapshot_node_count(path);
  last_bytes_ = result.capture.bytes;
  last_heap_used_ = heap_used;
  const double now = epoch_seconds();
  requests_.captured(now, result.capture.seconds);
  state_.add_snapshot(
      {std::filesystem::path(path).filename().string(), reason, result.capture.bytes, now, result.capture.seconds});
  if (reason == "hunt") series_.push_back(path);
  std::vector<std::string> kept = series_;
  kept.push_back(path);
  store_.prune(kept);
  return result;
}

}  // namespace heapwise::watch
