// The leak hunt of `watch` (see hunt.h).
#include "watch/hunt.h"

#include <chrono>
#include <filesystem>

#include "analysis/snapshot.h"
#include "leaks/leak_findings.h"
#include "live/allocation_tracking.h"
#include "live/interrupt.h"
#include "report/leak_report.h"
#include "util/clock.h"
#include "util/format.h"

namespace heapwise::watch {

bool Hunt::due() const {
  return options_.enabled && (!last_ || std::chrono::steady_clock::now() - *last_ >= options_.cooldown);
}

void Hunt::incomplete(const std::string& why, const std::vector<std::string>& kept, std::ostream& log) {
  std::string message =
      "the hunt ended incomplete (" + why + ") with " + std::to_string(kept.size()) + " of 3 snapshots";
  if (kept.empty()) {
    message += "; nothing was kept";
  } else {
    message += "; kept in " + store_.dir() + ": ";
    for (size_t i = 0; i < kept.size(); ++i)
      message += (i ? ", " : "") + std::filesystem::path(kept[i]).filename().string();
    if (kept.size() == 2) message += " (heapwise diff compares them)";
  }
  log << "heapwise watch: " << message << "\n";
  alerts_.emit("hunt-incomplete", message, {{"reason", why}, {"snapshots", kept}});
}

HuntEnd Hunt::run(const Idle& idle, std::ostream& report, std::ostream& log) {
  ScopedActivity activity(state_, "hunting");
  last_ = std::chrono::steady_clock::now();
  const std::string stamp = SnapshotStore::stamp_now();
  log << "heapwise watch: leak suspected: capturing 3 heap snapshots " << options_.interval.count() / 1000
      << " s apart into " << store_.dir()
      << " (each blocks the target for seconds per million objects and raises its RSS)\n";
  std::vector<std::string> files;
  sentinel_.start();
  capture_.begin_series();
  // However the hunt ends, its files become ordinary (prunable) snapshots.
  struct SeriesEnd {
    GuardedCapture& c;
    ~SeriesEnd() { c.end_series(); }
  } series_end{capture_};
  // Another inspector session that closed (someone's DevTools) resets the
  // object ids: snapshots on either side cannot be matched, so the series
  // starts over (once; a second reset abandons the hunt).
  bool restarted = false;
  auto restart = [&] {
    if (restarted) {
      alerts_.emit("hunt-abandoned", "V8's object ids were reset twice during the hunt (another inspector session?)");
      return false;
    }
    alerts_.emit("ids-reset", "V8's object ids were reset (another inspector session closed); the hunt starts over");
    restarted = true;
    files.clear();
    sentinel_.start();
    capture_.begin_series();
    return true;
  };
  // On from before the first snapshot to the last: every object newer than
  // the first snapshot (the leaked ones among them) carries its allocation
  // stack. Started after it, an object allocated in between has none, and
  // when that object holds the leaked ones (a growing array's new backing
  // store) the report loses its allocation site: the likely cause of one
  // live_watch failure in five runs on a busy machine.
  std::optional<live::AllocationTracking> tracking;
  // The target may go at any call (a capture, the id checks): the snapshots
  // complete by then are kept.
  try {
    while (files.size() < 3) {
      if (!files.empty() && !idle(options_.interval)) {
        incomplete("the target exited", files, log);
        return HuntEnd::target_gone;
      }
      if (live::interrupted()) {
        incomplete("interrupted", files, log);
        return HuntEnd::interrupted;
      }
      if (!sentinel_.ids_kept() && !restart()) return HuntEnd::not_taken;
      if (options_.track_allocations && files.empty() && !tracking) {
        try {
          tracking.emplace(session_);
          log << "heapwise watch: allocation tracking on until the last snapshot (the target runs slower "
                 "meanwhile)\n";
        } catch (const live::CdpClosed&) {
          throw;
        } catch (const live::CdpError& e) {
          log << "heapwise watch: allocation tracking did not start (" << e.what() << "); the hunt goes on without\n";
        }
      }
      sentinel_.before_snapshot();
      GuardedCaptureResult r;
      try {
        r = capture_.capture(store_.new_path("hunt", stamp, static_cast<int>(files.size()) + 1), "hunt");
      } catch (const live::CdpClosed&) {
        throw;
      } catch (const live::CdpError& e) {
        incomplete(std::string("capture failed: ") + e.what(), files, log);
        return live::interrupted() ? HuntEnd::interrupted : HuntEnd::not_taken;
      }
      if (r.refused) {
        alerts_.emit("hunt-skipped", *r.refused + "; no snapshot taken", {{"snapshots_taken", files.size()}});
        return HuntEnd::not_taken;
      }
      log << "heapwise watch: captured " << r.path << " (" << format_size(r.capture.bytes) << ")\n";
      // A reset seen right after this capture may have come before, during or
      // after it: the snapshot may hold either side's ids, so it is dropped too.
      bool ids_kept = false;
      try {
        ids_kept = sentinel_.snapshot_taken();
      } catch (const live::CdpClosed&) {
        files.push_back(r.path);  // complete; only its ids could not be checked
        throw;
      } catch (const live::CdpError&) {
        // Ctrl-C during the check: the snapshot is complete all the same.
        if (live::interrupted()) files.push_back(r.path);
        throw;
      }
      if (!ids_kept) {
        if (!restart()) return HuntEnd::not_taken;
        continue;
      }
      files.push_back(r.path);
    }
  } catch (const live::CdpClosed&) {
    incomplete("the target exited", files, log);
    return HuntEnd::target_gone;
  } catch (const live::CdpError&) {
    // Ctrl-C can land during any call of the hunt (the id checks too), not
    // only where the loop looks for it: the snapshots taken are kept all the same.
    if (!live::interrupted()) throw;
    incomplete("interrupted", files, log);
    return HuntEnd::interrupted;
  }
  tracking.reset();
  // Loading and comparing three big snapshots takes seconds to minutes: say
  // what the watch is doing until the report comes.
  log << "heapwise watch: comparing the " << files.size() << " hunt snapshots; the leak report follows\n";
  log.flush();
  report << "\nLeak report on " << files[0] << " … " << files[2] << ":\n\n";
  std::vector<std::shared_ptr<const Snapshot>> series;
  for (const auto& f : files) {
    auto s = Snapshot::open(f, false);
    if (!s.ok()) {
      alerts_.emit("hunt-abandoned", s.error().in(f));
      return HuntEnd::not_taken;
    }
    series.push_back(std::move(s.value()));
  }
  const leaks::LeakFindings findings(std::move(series), files, LeakAnalysisOptions{}, 5);
  report::print_leak_report(report, log, findings);
  report.flush();
  const double now = epoch_seconds();
  auto json = report::leak_report_json(findings);
  state_.write([&](WatchState& w) {
    w.leak_report = std::move(json);
    w.leak_report_time = now;
  });
  alerts_.emit("hunt-report", std::string("leak report made: ") + (findings.found() ? "leaks found" : "no leak found"),
               {{"snapshots", files}, {"leaks_found", findings.found()}});
  return HuntEnd::reported;
}

}  // namespace heapwise::watch
