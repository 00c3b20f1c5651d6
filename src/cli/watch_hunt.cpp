// The leak hunt of `watch` (see watch_hunt.h).
#include "cli/watch_hunt.h"

#include <chrono>
#include <iostream>

#include "cli/command.h"
#include "live/interrupt.h"
#include "report/format.h"
#include "report/leak_report.h"
#include "util/clock.h"

namespace heapwise::cli {

bool run_hunt(live::GuardedCapture& capture, live::ObjectIdSentinel& sentinel, const live::SnapshotStore& store,
              live::AlertLog& alerts, live::SharedWatchState& state, HuntOptions& hunt, const Idle& idle) {
  live::ScopedActivity activity(state, "hunting");
  hunt.last = std::chrono::steady_clock::now();
  const std::string stamp = live::SnapshotStore::stamp_now();
  std::cerr << "heapwise watch: leak suspected: capturing 3 heap snapshots " << hunt.interval.count() / 1000
            << " s apart into " << store.dir()
            << " (each blocks the target for seconds per million objects and raises its RSS)\n";
  std::vector<std::string> files;
  sentinel.start();
  capture.begin_series();
  // However the hunt ends, its files become ordinary (prunable) snapshots.
  struct SeriesEnd {
    live::GuardedCapture& c;
    ~SeriesEnd() { c.end_series(); }
  } series_end{capture};
  bool restarted = false;
  while (files.size() < 3) {
    if (!files.empty() && !idle(hunt.interval)) return false;
    if (live::interrupted()) return true;
    // Another inspector session that closed (someone's DevTools) resets
    // the object ids: snapshots on either side cannot be matched.
    if (!sentinel.ids_kept()) {
      if (restarted) {
        alerts.emit("hunt-abandoned", "V8's object ids were reset twice during the hunt (another inspector session?)");
        return true;
      }
      alerts.emit("ids-reset", "V8's object ids were reset (another inspector session closed); the hunt starts over");
      restarted = true;
      files.clear();
      sentinel.start();
      capture.begin_series();
    }
    const auto r = capture.capture(store.new_path("hunt", stamp, static_cast<int>(files.size()) + 1), "hunt");
    if (r.refused) {
      alerts.emit("hunt-skipped", *r.refused + "; no snapshot taken", {{"snapshots_taken", files.size()}});
      return true;
    }
    std::cerr << "heapwise watch: captured " << r.path << " (" << report::format_size(r.capture.bytes) << ")\n";
    files.push_back(r.path);
    sentinel.snapshot_taken();
  }
  std::cout << "\nLeak report on " << files[0] << " … " << files[2] << ":\n\n";
  std::vector<std::unique_ptr<Snapshot>> series;
  for (const auto& f : files) series.push_back(open_snapshot(f));
  const report::LeakReport leaks(std::move(series), files, LeakAnalysisOptions{}, 5);
  leaks.print(std::cout, std::cerr);
  std::cout.flush();
  const double now = epoch_seconds();
  auto json = leaks.to_json();
  state.write([&](live::WatchState& w) {
    w.leak_report = std::move(json);
    w.leak_report_time = now;
  });
  alerts.emit("hunt-report", std::string("leak report made: ") + (leaks.found() ? "leaks found" : "no leak found"),
              {{"snapshots", files}, {"leaks_found", leaks.found()}});
  return true;
}

}  // namespace heapwise::cli
