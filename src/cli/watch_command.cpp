// `heapwise watch`: the memory monitor people write by hand, done properly:
// samples a live process's memory, tests the trend on post-GC levels with
// sound statistics, alerts, hunts for the leak, serves its state over HTTP,
// and ends with a summary.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/live_options.h"
#include "cli/watch_hunt.h"
#include "live/alert_log.h"
#include "live/capture_requests.h"
#include "live/child_target.h"
#include "live/guarded_capture.h"
#include "live/interrupt.h"
#include "live/memory_sampler.h"
#include "live/object_id_sentinel.h"
#include "live/snapshot_store.h"
#include "live/target_session.h"
#include "live/trend.h"
#include "live/watch_state.h"
#include "report/format.h"
#include "server/watch_server.h"
#include "util/clock.h"
#include "util/progress.h"

namespace heapwise::cli {

namespace {

const char kHelp[] =
    "Usage: heapwise watch (--pid PID | --inspect HOST:PORT | --url WS | -- node app.js ...)\n"
    "                      [--interval 5s] [--history N] [--window 30s] [--warmup 2m]\n"
    "                      [--max-heap SIZE|PERCENT] [--max-rss SIZE] [--events FILE] [--json]\n"
    "                      [--hunt [--hunt-interval 60s] [--cooldown 30m] [--once]]\n"
    "                      [--snapshot-dir DIR] [--max-snapshots 9] [--disk-budget 2GB]\n"
    "                      [--max-capture-heap 1GB] [--listen [HOST:]PORT]\n\n"
    "Watches a running Node.js process's memory without changing its code: every\n"
    "--interval it samples V8's heap (Runtime.getHeapUsage), process.memoryUsage()\n"
    "and the RSS from /proc, keeping the last --history samples (default 720).\n"
    "The leak test runs on post-GC levels (the minimum of each --window) after\n"
    "the --warmup: a one-sided Mann-Kendall test (p < 0.01), the Theil-Sen slope,\n"
    "and the recent half must agree. Alerts go to stderr as one line each, and to\n"
    "--events FILE as JSON lines:\n"
    "  leak-trend  heap after GC grows significantly (slope, confidence, time to the limit)\n"
    "  max-heap    heapUsed above --max-heap (bytes, or a percent of V8's heap limit)\n"
    "  max-rss     RSS above --max-rss\n"
    "With --hunt, a suspected leak (leak-trend) makes heapwise capture three\n"
    "snapshots --hunt-interval apart (default 60s; garbage collected first) into\n"
    "--snapshot-dir (default ./heapwise-snapshots) over the same inspector session,\n"
    "and print the `heapwise leaks` report on them. Captures block the target for\n"
    "seconds and raise its RSS by ~600 bytes per object: none is taken while\n"
    "heapUsed is above --max-capture-heap (default 1GB) or when that cost exceeds\n"
    "the memory left to the target (its cgroup limit, else MemAvailable); hunts\n"
    "are at least --cooldown apart (default 30m); a reset of V8's object ids (another\n"
    "inspector session closed) restarts the series; old snapshots are deleted past\n"
    "--max-snapshots (default 9) or --disk-budget (default 2GB). --once ends the\n"
    "watch after the first report.\n"
    "With --listen (default address 127.0.0.1; port 0 picks a free one) it serves:\n"
    "  GET  /                       a dashboard page (chart, trend, alerts, snapshots)\n"
    "  GET  /memory/stats           current figures (JSON)\n"
    "  GET  /memory/report          history, trend, alerts, snapshots, last leak report\n"
    "  POST /memory/snapshot        capture a snapshot now; answers with its file name\n"
    "  GET  /memory/snapshots[/NAME] list or download the captured snapshots\n"
    "  GET  /metrics                Prometheus text, prom-client's metric names\n"
    "It ends on Ctrl-C/SIGTERM or when the target exits, with a summary on stdout\n"
    "(--json for JSON). With `-- node app.js ...` heapwise starts the program itself\n"
    "with its inspector on 127.0.0.1 and stops it at the end.\n"
    "Exit codes: 0 ended normally, 2 bad options, 4 target unreachable or the\n"
    "--listen address unavailable.\n";

std::string mb_per_min(double bytes_per_second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f MB/min", bytes_per_second * 60 / 1e6);
  return buf;
}

int run(const std::vector<std::string>& all_argv) {
  // Everything after "--" is the program to start.
  std::vector<std::string> argv, program;
  for (size_t i = 0; i < all_argv.size(); ++i) {
    if (all_argv[i] == "--") {
      program.assign(all_argv.begin() + static_cast<ptrdiff_t>(i) + 1, all_argv.end());
      break;
    }
    argv.push_back(all_argv[i]);
  }
  Arguments args(
      argv,
      {{"--pid", true},           {"--inspect", true},          {"--url", true},           {"--interval", true},
       {"--history", true},       {"--window", true},           {"--warmup", true},        {"--max-heap", true},
       {"--max-rss", true},       {"--events", true},           {"--json", false},         {"--hunt", false},
       {"--hunt-interval", true}, {"--snapshot-dir", true},     {"--max-snapshots", true}, {"--disk-budget", true},
       {"--cooldown", true},      {"--max-capture-heap", true}, {"--once", false},         {"--listen", true}});
  if (args.help()) {
    std::cout << kHelp;
    return kExitOk;
  }
  live::TargetSpec spec = target_spec(args);
  const int given = target_option_count(args) + (program.empty() ? 0 : 1);
  if (given != 1) throw UsageError("give exactly one of --pid, --inspect, --url, or -- node app.js ...");
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  const auto interval = parse_duration("--interval", args.value_or("--interval", "5s"));
  const uint64_t history = args.uint_or("--history", 720, 10);
  live::TrendOptions trend;
  trend.window_seconds = parse_duration("--window", args.value_or("--window", "30s")).count() / 1000.0;
  trend.warmup_seconds = parse_duration("--warmup", args.value_or("--warmup", "2m")).count() / 1000.0;
  const auto max_rss = args.size("--max-rss");
  const std::string max_heap_text = args.value_or("--max-heap", "");
  HuntOptions hunt;
  hunt.enabled = args.flag("--hunt");
  hunt.interval = parse_duration("--hunt-interval", args.value_or("--hunt-interval", "60s"));
  hunt.cooldown = parse_duration("--cooldown", args.value_or("--cooldown", "30m"));
  const live::SnapshotStore store(args.value_or("--snapshot-dir", "heapwise-snapshots"),
                                  args.uint_or("--max-snapshots", 9, 3),
                                  args.size("--disk-budget").value_or(uint64_t{2} << 30));
  const uint64_t max_capture_heap = args.size("--max-capture-heap").value_or(uint64_t{1} << 30);
  std::optional<server::ListenAddress> listen;
  if (auto text = args.value("--listen")) {
    try {
      listen = server::parse_listen_address(*text);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }

  live::SharedWatchState state;
  state.write([&](live::WatchState& w) {
    w.history_limit = history;
    w.trend_options = trend;
    w.interval_seconds = static_cast<double>(interval.count()) / 1000;
    w.started = epoch_seconds();
    w.target = spec.describe();
  });
  std::unique_ptr<live::AlertLog> alerts;
  try {
    alerts = std::make_unique<live::AlertLog>(args.value("--events"), state);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
  live::install_interrupt_handlers();

  // The server is up before the target is touched: a port in use fails
  // fast and leaves the target alone.
  live::CaptureRequests captures;
  std::unique_ptr<server::WatchServer> http;
  if (listen) {
    try {
      http = std::make_unique<server::WatchServer>(*listen, state, captures, store);
    } catch (const server::ListenError& e) {
      throw CommandFailure(kExitUnreachable, e.what());
    }
    std::cerr << "heapwise watch: serving " << http->url() << " (dashboard), /memory/stats, /memory/report, "
              << "/metrics\n";
  }
  // Answers waiting requests before the server (declared above) is stopped.
  struct CloseCaptures {
    live::CaptureRequests& c;
    ~CloseCaptures() { c.close("the watch has ended"); }
  } close_captures{captures};

  std::unique_ptr<live::ChildTarget> child;
  try {
    if (!program.empty()) {
      child = std::make_unique<live::ChildTarget>(program);
      spec.url = child->websocket_url();
    }
    live::TargetSession session(spec);
    live::MemorySampler sampler(session);
    const uint64_t limit = sampler.heap_limit();
    uint64_t max_heap = 0;
    if (!max_heap_text.empty()) {
      if (max_heap_text.back() == '%') {
        const double pct = std::atof(max_heap_text.c_str());
        if (pct <= 0 || pct > 100) throw UsageError("--max-heap percent must be in (0, 100]");
        if (!limit) throw CommandFailure(kExitUnreachable, "cannot read the target's heap limit for --max-heap %");
        max_heap = static_cast<uint64_t>(static_cast<double>(limit) * pct / 100);
      } else {
        max_heap = args.size("--max-heap").value_or(0);
      }
    }
    const std::string node_version = sampler.node_version();
    state.write([&](live::WatchState& w) {
      w.target = spec.describe();
      w.pid = session.target_pid();
      w.node_version = node_version;
      w.heap_limit = limit;
    });
    std::cerr << "heapwise watch: watching " << spec.describe() << " (PID " << session.target_pid() << "), every "
              << interval.count() << " ms; heap limit " << report::format_size(limit) << "\n";

    bool target_gone = false;
    auto on_event = [&](const std::string& method, const nlohmann::json&) {
      if (method == "Runtime.executionContextDestroyed") target_gone = true;
    };
    live::GuardedCapture guarded(session, state, store, max_capture_heap);
    live::ObjectIdSentinel sentinel(session);
    auto serve_captures = [&] {
      captures.serve([&]() -> live::CaptureOutcome {
        try {
          const auto r = guarded.capture(store.new_path("snapshot", live::SnapshotStore::stamp_now()), "request");
          if (r.refused) return {409, "", *r.refused};
          std::cerr << "heapwise watch: captured " << r.path << " on request (" << report::format_size(r.capture.bytes)
                    << ")\n";
          return {200, std::filesystem::path(r.path).filename().string(), "", r.capture.bytes, r.capture.seconds};
        } catch (const live::CdpError& e) {
          return {503, "", std::string("capture failed: ") + e.what()};
        }
      });
    };
    // Waits for `d`, answering capture requests and events meanwhile.
    const Idle idle = [&](std::chrono::milliseconds d) {
      const auto until = std::chrono::steady_clock::now() + d;
      for (;;) {
        if (captures.pending()) serve_captures();
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0 || live::interrupted()) return true;
        if (!session.cdp().wait_events(std::min(left, std::chrono::milliseconds(100)), on_event)) target_gone = true;
        if (target_gone) return false;
      }
    };

    bool heap_alerted = false, rss_alerted = false, leak_alerted = false;
    live::TrendVerdict verdict;
    const auto start = std::chrono::steady_clock::now();
    uint64_t taken = 0, heap_lo = UINT64_MAX, heap_hi = 0;
    while (!live::interrupted() && !target_gone) {
      const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      live::MemorySample s;
      try {
        s = sampler.sample(t, on_event);
      } catch (const live::CdpError&) {
        target_gone = true;  // it exited (or closed the connection) between samples
        break;
      }
      ++taken;
      heap_lo = std::min(heap_lo, s.heap_used);
      heap_hi = std::max(heap_hi, s.heap_used);
      state.add_sample(s);
      const uint64_t rss = s.resident();
      if (max_heap && s.heap_used > max_heap && !heap_alerted) {
        alerts->emit("max-heap",
                     "heap used " + report::format_size(s.heap_used) + " is above " + report::format_size(max_heap),
                     {{"heap_used", s.heap_used}, {"threshold", max_heap}});
      }
      heap_alerted = max_heap && s.heap_used > max_heap;
      if (max_rss && rss > *max_rss && !rss_alerted)
        alerts->emit("max-rss", "RSS " + report::format_size(rss) + " is above " + report::format_size(*max_rss),
                     {{"rss", rss}, {"threshold", *max_rss}});
      rss_alerted = max_rss && rss > *max_rss;
      verdict = live::test_trend(state.read([](const live::WatchState& w) { return w.heap_levels(); }), trend,
                                 static_cast<double>(limit));
      state.write([&](live::WatchState& w) { w.trend = verdict; });
      if (verdict.leak && !leak_alerted) {
        std::string text = "heap after GC grows " + mb_per_min(verdict.slope_bytes_per_second) +
                           " (Mann-Kendall p=" + std::to_string(verdict.p_value).substr(0, 8) + ", " +
                           std::to_string(verdict.points) + " post-GC levels)";
        if (verdict.seconds_to_limit >= 0)
          text += "; the heap limit is reached in ~" +
                  std::to_string(static_cast<int64_t>(verdict.seconds_to_limit / 60)) + " min";
        alerts->emit("leak-trend", text,
                     {{"slope_bytes_per_second", verdict.slope_bytes_per_second},
                      {"p_value", verdict.p_value},
                      {"confidence", verdict.confidence},
                      {"seconds_to_limit", verdict.seconds_to_limit}});
      }
      leak_alerted = verdict.leak;
      if (verdict.leak && hunt.enabled && hunt.due()) {
        if (!run_hunt(guarded, sentinel, store, *alerts, state, hunt, idle)) break;
        // Captures disturb the sawtooth: the trend starts afresh.
        const double resumed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        state.write([&](live::WatchState& w) { w.trend_from = resumed; });
        if (args.flag("--once")) break;
      }
      if (Progress::stderr_is_tty())
        std::cerr << "\r\033[K"
                  << "heap " << report::format_size(s.heap_used) << " / " << report::format_size(s.heap_total)
                  << ", RSS " << report::format_size(rss) << std::flush;
      if (!idle(interval)) break;
    }
    if (Progress::stderr_is_tty()) std::cerr << "\r\033[K";
    captures.close(target_gone ? "the target exited" : "the watch has ended");
    session.leave();
    if (child) child->stop();

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const uint64_t lo = taken ? heap_lo : 0, hi = heap_hi;
    const std::string reason = target_gone ? "the target exited" : "stopped";
    if (args.flag("--json")) {
      nlohmann::ordered_json out{{"target", spec.describe()},
                                 {"ended", target_gone ? "target-exited" : "stopped"},
                                 {"seconds", seconds},
                                 {"samples", taken},
                                 {"heap_min", lo},
                                 {"heap_max", hi},
                                 {"heap_limit", limit},
                                 {"alerts", alerts->count()},
                                 {"trend",
                                  {{"enough_data", verdict.enough_data},
                                   {"leak", verdict.leak},
                                   {"slope_bytes_per_second", verdict.slope_bytes_per_second},
                                   {"p_value", verdict.p_value},
                                   {"points", verdict.points}}}};
      auto& last = out["last_samples"] = nlohmann::ordered_json::array();
      state.read([&](const live::WatchState& w) {
        for (size_t i = w.history.size() > 10 ? w.history.size() - 10 : 0; i < w.history.size(); ++i)
          last.push_back(live::to_json(w.history[i]));
      });
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "watched " << spec.describe() << " for " << static_cast<int64_t>(seconds) << " s (" << reason
                << "): " << taken << " samples, heap " << report::format_size(lo) << " – " << report::format_size(hi)
                << ", " << alerts->count() << " alerts\n";
      if (!verdict.enough_data)
        std::cout << "trend: not enough post-GC levels yet (" << verdict.points << " of " << trend.min_points
                  << " after the warm-up)\n";
      else
        std::cout << "trend: " << (verdict.leak ? "LEAK" : "no leak") << ", heap after GC "
                  << mb_per_min(verdict.slope_bytes_per_second) << " (p=" << verdict.p_value << ", " << verdict.points
                  << " post-GC levels)\n";
    }
    return kExitOk;
  } catch (const live::AttachError& e) {
    throw CommandFailure(kExitUnreachable, e.what());
  } catch (const live::CdpError& e) {
    throw CommandFailure(kExitUnreachable, std::string("watching ") + spec.describe() + " failed: " + e.what());
  }
}

}  // namespace

const Command kWatchCommand{"watch", "monitor a live process's memory: trend test, alerts, summary", kHelp, run};

}  // namespace heapwise::cli
