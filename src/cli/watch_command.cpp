// `heapwise watch`: options → watch::Watch (src/watch/), an optional
// server on its state (src/server/), and the summary.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/live_options.h"
#include "live/interrupt.h"
#include "server/watch_server.h"
#include "util/format.h"
#include "util/progress.h"
#include "watch/watch.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "Watches a running Node.js process's memory without changing its code: every\n"
    "--interval it samples V8's heap (Runtime.getHeapUsage), process.memoryUsage()\n"
    "and the RSS from /proc, keeping the last --history samples.\n"
    "The leak test runs on post-GC levels (the minimum of each --window) after\n"
    "the --warmup: a one-sided Mann-Kendall test (p < 0.01), the Theil-Sen slope,\n"
    "and the recent half must agree (docs/trend-test.md). Alerts go to stderr as\n"
    "one line each, and to --events FILE as JSON lines:\n"
    "  leak-trend  heap after GC grows significantly (slope, confidence, time to the limit)\n"
    "  max-heap    heapUsed above --max-heap (bytes, or a percent of V8's heap limit)\n"
    "  max-rss     RSS above --max-rss\n"
    "With --hunt, a suspected leak (leak-trend) makes heapwise capture three\n"
    "snapshots --hunt-interval apart (garbage collected first) into --snapshot-dir\n"
    "over the same inspector session, and print the `heapwise leaks` report on\n"
    "them. Captures block the target for seconds and raise its RSS by ~600 bytes\n"
    "per object: none is taken while heapUsed is above --max-capture-heap or when\n"
    "that cost exceeds the memory left to the target (its cgroup limit, else\n"
    "MemAvailable). A reset of V8's object ids (another inspector session closed)\n"
    "restarts the series; old snapshots are deleted past --max-snapshots or\n"
    "--disk-budget.\n"
    "With --listen (default address 127.0.0.1; port 0 picks a free one) it serves,\n"
    "to requests that carry the access token of the URL it prints (docs/security.md):\n"
    "  GET  /                       a dashboard page (chart, trend, alerts, snapshots)\n"
    "  GET  /memory/stats           current figures (JSON)\n"
    "  GET  /memory/report          history, trend, alerts, snapshots, last leak report\n"
    "  POST /memory/snapshot        capture a snapshot now; answers with its file name\n"
    "  GET  /memory/snapshots[/NAME] list or download the captured snapshots\n"
    "  GET  /explore/NAME[,NAME]/    the explorer (heapwise open) on captured snapshots\n"
    "  GET  /metrics                Prometheus text, prom-client's metric names\n"
    "A requested capture runs alone (409 while another runs) and at most one per\n"
    "--capture-interval (429 with Retry-After); by default 20 times the last\n"
    "capture's duration, at least 30 s, so captures stop the target at most 5%\n"
    "of the time. No capture starts when the file would not fit on the disk.\n"
    "It ends on Ctrl-C/SIGTERM or when the target exits, with a summary on stdout.\n"
    "With `-- node app.js ...` heapwise starts the program itself with its\n"
    "inspector on 127.0.0.1 and stops it at the end.\n";

const std::vector<OptionSpec> kOptions = with_target_options({
    {"--interval", "DURATION", "time between samples (default 5s)"},
    {"--history", "N", "samples kept (default 720)"},
    {"--window", "DURATION", "window whose minimum is one post-GC level (default 30s)"},
    {"--warmup", "DURATION", "samples ignored by the trend test at the start (default 2m)"},
    {"--max-heap", "SIZE|PERCENT", "alert when heapUsed is above it (bytes, or % of the heap limit)"},
    {"--max-rss", "SIZE", "alert when the RSS is above it"},
    {"--events", "FILE", "append alerts to FILE as JSON lines"},
    {"--json", "", "the summary at the end as JSON"},
    {"--hunt", "", "capture three snapshots when a leak is suspected, then report"},
    {"--hunt-interval", "DURATION", "time between a hunt's snapshots (default 60s)"},
    {"--cooldown", "DURATION", "time between hunts (default 30m)"},
    {"--hunt-allocations", "", "record allocation stacks from a hunt's first snapshot to its last (slow: below)"},
    {"--once", "", "end after the first hunt's report"},
    {"--snapshot-dir", "DIR", "where captures go (default ./heapwise-snapshots)"},
    {"--max-snapshots", "N", "snapshots kept in the directory (default 9)"},
    {"--disk-budget", "SIZE", "bytes of snapshots kept in the directory (default 2GB)"},
    {"--max-capture-heap", "SIZE", "no capture while heapUsed is above it (default 1GB)"},
    {"--capture-interval", "DURATION", "least time between requested captures (default: measured)"},
    {"--listen", "[HOST:]PORT", "serve the HTTP API, metrics and dashboard (with an access token)"},
    {"--metrics-open", "", "serve /metrics without the token (for a Prometheus on this host)"},
});

const char kNotes[] =
    "--hunt-allocations names where the leaked objects were allocated, at a\n"
    "cost measured by bench/allocation-tracking-cost.mjs (docs/leak-findings.md):\n"
    "V8 records a stack per allocation and the inspector collects garbage every\n"
    "50 ms, so a service runs 10 to 1000 times slower until the last snapshot.\n"
    "Hence off by default: use it on a staging copy, not in production.\n"
    "A hunt cut short (Ctrl-C/SIGTERM, the target exiting, a failed capture)\n"
    "keeps the complete snapshots it took and names them (a hunt-incomplete\n"
    "alert); an unfinished capture never leaves a file.\n"
    "Exit codes: 0 ended normally, 2 bad options, 4 target unreachable, the\n"
    "--listen address unavailable, or the target exited during a hunt,\n"
    "130 interrupted during a hunt.\n";

watch::HeapThreshold parse_heap_threshold(const Arguments& args) {
  watch::HeapThreshold t;
  const std::string text = args.value_or("--max-heap", "");
  if (text.empty()) return t;
  if (text.back() == '%') {
    t.percent = std::atof(text.c_str());
    if (t.percent <= 0 || t.percent > 100) throw UsageError("--max-heap percent must be in (0, 100]");
  } else {
    t.bytes = args.size("--max-heap").value_or(0);
  }
  return t;
}

watch::WatchOptions parse_options(const Arguments& args, std::vector<std::string> program) {
  watch::WatchOptions o;
  o.target = target_spec(args);
  o.program = std::move(program);
  if (target_option_count(args) + (o.program.empty() ? 0 : 1) != 1)
    throw UsageError("give exactly one of --pid, --inspect, --url, or -- node app.js ...");
  o.interval = parse_duration("--interval", args.value_or("--interval", "5s"));
  o.history = args.uint_or("--history", 720, 10);
  o.trend.window_seconds = parse_duration("--window", args.value_or("--window", "30s")).count() / 1000.0;
  o.trend.warmup_seconds = parse_duration("--warmup", args.value_or("--warmup", "2m")).count() / 1000.0;
  o.max_heap = parse_heap_threshold(args);
  o.max_rss = args.size("--max-rss");
  o.events_file = args.value("--events");
  o.hunt.enabled = args.flag("--hunt");
  o.hunt.track_allocations = args.flag("--hunt-allocations");
  o.hunt.interval = parse_duration("--hunt-interval", args.value_or("--hunt-interval", "60s"));
  o.hunt.cooldown = parse_duration("--cooldown", args.value_or("--cooldown", "30m"));
  o.once = args.flag("--once");
  o.snapshot_dir = args.value_or("--snapshot-dir", o.snapshot_dir);
  o.max_snapshots = args.uint_or("--max-snapshots", o.max_snapshots, 3);
  o.disk_budget = args.size("--disk-budget").value_or(o.disk_budget);
  o.max_capture_heap = args.size("--max-capture-heap").value_or(o.max_capture_heap);
  if (const auto interval = args.value("--capture-interval"))
    o.capture_interval = parse_duration("--capture-interval", *interval).count() / 1000.0;
  return o;
}

void print_summary(const watch::WatchSummary& s, bool json) {
  const watch::TrendVerdict& v = s.trend;
  if (json) {
    nlohmann::ordered_json out{{"target", s.target},
                               {"ended", s.target_exited ? "target-exited" : "stopped"},
                               {"hunt_incomplete", s.hunt_incomplete},
                               {"seconds", s.seconds},
                               {"samples", s.samples},
                               {"heap_min", s.heap_min},
                               {"heap_max", s.heap_max},
                               {"heap_limit", s.heap_limit},
                               {"alerts", s.alerts},
                               {"trend",
                                {{"enough_data", v.enough_data},
                                 {"leak", v.leak},
                                 {"slope_bytes_per_second", v.slope_bytes_per_second},
                                 {"p_value", v.p_value},
                                 {"points", v.points}}}};
    auto& last = out["last_samples"] = nlohmann::ordered_json::array();
    for (const auto& sample : s.last_samples) last.push_back(live::to_json(sample));
    print_json(out);
    return;
  }
  std::cout << "watched " << s.target << " for " << static_cast<int64_t>(s.seconds) << " s ("
            << (s.target_exited ? "the target exited" : "stopped") << "): " << s.samples << " samples, heap "
            << format_size(s.heap_min) << " – " << format_size(s.heap_max) << ", " << s.alerts << " alerts\n";
  if (!v.enough_data)
    std::cout << "trend: not enough post-GC levels yet (" << v.points << " of " << s.trend_min_points
              << " after the warm-up)\n";
  else
    std::cout << "trend: " << (v.leak ? "LEAK" : "no leak") << ", heap after GC "
              << watch::mb_per_min(v.slope_bytes_per_second) << " (p=" << v.p_value << ", " << v.points
              << " post-GC levels)\n";
}

int run(const Arguments& args) {
  watch::WatchOptions options = parse_options(args, args.program());
  std::optional<server::ListenAddress> listen;
  if (auto text = args.value("--listen")) {
    try {
      listen = server::parse_listen_address(*text);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  std::unique_ptr<watch::Watch> w;
  try {
    w = std::make_unique<watch::Watch>(std::move(options),
                                       watch::WatchOutput{std::cout, std::cerr, Progress::stderr_is_tty()});
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());  // the --events file
  }
  live::install_interrupt_handlers();

  // The server is up before the target is touched: a port in use fails
  // fast and leaves the target alone.
  std::unique_ptr<server::WatchServer> http;
  if (listen) {
    try {
      http = std::make_unique<server::WatchServer>(*listen, server::ServerOptions{args.flag("--metrics-open")},
                                                   w->state(), w->captures(), w->store());
    } catch (const server::ListenError& e) {
      throw CommandFailure(kExitUnreachable, e.what());
    }
    std::cerr << "heapwise watch: serving " << http->url() << " (dashboard), /memory/stats, /memory/report, "
              << "/metrics\n";
  }
  const watch::WatchSummary summary = w->run();
  print_summary(summary, args.flag("--json"));
  if (summary.hunt_incomplete) return summary.target_exited ? kExitUnreachable : kExitInterrupted;
  return kExitOk;
}

}  // namespace

const Command kWatchCommand{"watch",
                            "monitor a live process's memory: trend test, alerts, summary",
                            "(--pid PID | --inspect HOST:PORT | --url WS | -- node app.js ...) [options]",
                            kDescription,
                            kOptions,
                            kNotes,
                            {0, 0, "takes no FILE: name the target with --pid, --inspect, --url or -- node app.js"},
                            run,
                            true,
                            "watching"};

}  // namespace heapwise::cli
