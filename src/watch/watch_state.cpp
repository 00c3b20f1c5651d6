// Watch state updates (see watch_state.h).
#include "watch/watch_state.h"

namespace heapwise::watch {

std::vector<TimedValue> WatchState::heap_levels() const {
  std::vector<TimedValue> out;
  out.reserve(history.size());
  for (const auto& s : history)
    if (s.t >= trend_from) out.push_back({s.t, static_cast<double>(s.heap_used)});
  return out;
}

void SharedWatchState::add_sample(const live::MemorySample& s) {
  write([&](WatchState& w) {
    w.history.push_back(s);
    while (w.history.size() > w.history_limit) w.history.pop_front();
    ++w.samples_taken;
  });
}

void SharedWatchState::add_alert(WatchAlert alert) {
  write([&](WatchState& w) {
    ++w.alert_counts[alert.type];
    w.alerts.push_back(std::move(alert));
    if (w.alerts.size() > WatchState::kMaxAlerts) w.alerts.pop_front();
  });
}

void SharedWatchState::add_snapshot(CapturedSnapshot snapshot) {
  write([&](WatchState& w) {
    ++w.snapshots_taken;
    w.snapshots.push_back(std::move(snapshot));
    if (w.snapshots.size() > WatchState::kMaxSnapshotsListed) w.snapshots.erase(w.snapshots.begin());
  });
}

}  // namespace heapwise::watch
