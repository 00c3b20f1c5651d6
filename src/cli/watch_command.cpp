// `heapwise watch`: the memory monitor people write by hand, done properly:
// samples a live process's memory, tests the trend on post-GC levels with
// sound statistics, alerts, and ends with a summary.
#include <cmath>
#include <ctime>
#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/live_options.h"
#include "live/child_target.h"
#include "live/interrupt.h"
#include "live/memory_sampler.h"
#include "live/snapshot_capture.h"
#include "live/target_session.h"
#include "live/trend.h"
#include "report/format.h"
#include "util/progress.h"

namespace heapwise::cli {

namespace {

const char kHelp[] =
    "Usage: heapwise watch (--pid PID | --inspect HOST:PORT | --url WS | -- node app.js ...)\n"
    "                      [--interval 5s] [--history N] [--window 30s] [--warmup 2m]\n"
    "                      [--max-heap SIZE|PERCENT] [--max-rss SIZE] [--events FILE] [--json]\n\n"
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
    "seconds and raise its RSS: none is taken while heapUsed is above\n"
    "--max-capture-heap (default 1GB), hunts are at least --cooldown apart (default\n"
    "30m), and old hunt snapshots are deleted past --max-snapshots (default 9) or\n"
    "--disk-budget (default 2GB). --once ends the watch after the first report.\n"
    "It ends on Ctrl-C/SIGTERM or when the target exits, with a summary on stdout\n"
    "(--json for JSON). With `-- node app.js ...` heapwise starts the program itself\n"
    "with its inspector on 127.0.0.1 and stops it at the end.\n";

std::string now_iso() {
  char buf[32];
  std::time_t t = std::time(nullptr);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string mb_per_min(double bytes_per_second) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f MB/min", bytes_per_second * 60 / 1e6);
  return buf;
}

class AlertLog {
 public:
  explicit AlertLog(const std::optional<std::string>& path) {
    if (path) {
      file_.open(*path, std::ios::app);
      if (!file_) throw CommandFailure(kExitUsage, "cannot write --events file " + *path);
    }
  }
  void emit(const std::string& type, const std::string& text, nlohmann::ordered_json fields) {
    std::cerr << "heapwise watch: " << now_iso() << " ALERT " << type << ": " << text << "\n";
    ++count_;
    if (!file_.is_open()) return;
    nlohmann::ordered_json j{{"time", now_iso()}, {"type", type}, {"message", text}};
    for (auto& [k, v] : fields.items()) j[k] = v;
    file_ << j.dump() << "\n";
    file_.flush();
  }
  uint64_t count() const { return count_; }

 private:
  std::ofstream file_;
  uint64_t count_ = 0;
};

// heapUsed over time, the series the trend test reads.
std::vector<live::TimedValue> heap_levels(const std::deque<live::MemorySample>& samples) {
  std::vector<live::TimedValue> out;
  out.reserve(samples.size());
  for (const auto& s : samples) out.push_back({s.t, static_cast<double>(s.heap_used)});
  return out;
}

struct HuntOptions {
  bool enabled = false;
  std::chrono::milliseconds interval{60000}, cooldown{1800000};
  std::string dir;
  uint64_t max_snapshots = 9, disk_budget = 0, max_capture_heap = 0;
  std::optional<std::chrono::steady_clock::time_point> last;
  bool due() const { return !last || std::chrono::steady_clock::now() - *last >= cooldown; }
};

// Keeps the newest hunt snapshots within the count and disk budgets.
void prune_hunt_snapshots(const HuntOptions& hunt) {
  namespace fs = std::filesystem;
  std::vector<fs::directory_entry> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(hunt.dir, ec))
    if (e.is_regular_file() && e.path().filename().string().rfind("hunt-", 0) == 0 &&
        e.path().extension() == ".heapsnapshot")
      files.push_back(e);
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.path() > b.path(); });
  uint64_t used = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    used += files[i].file_size(ec);
    if (i >= hunt.max_snapshots || used > hunt.disk_budget) fs::remove(files[i].path(), ec);
  }
}

// Three snapshots over the same session (object ids stay comparable), then
// the leaks report. Returns false when the target went away meanwhile.
bool run_hunt(live::TargetSession& session, live::MemorySampler& sampler, HuntOptions& hunt, AlertLog& alerts,
              const live::CdpClient::EventHandler& on_event, bool& target_gone) {
  hunt.last = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(hunt.dir, ec);
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  std::cerr << "heapwise watch: leak suspected: capturing 3 heap snapshots " << hunt.interval.count() / 1000
            << " s apart into " << hunt.dir
            << " (each blocks the target for seconds per million objects and raises its RSS)\n";
  std::vector<std::string> files;
  for (int k = 0; k < 3; ++k) {
    if (k > 0 && !session.cdp().wait_events(hunt.interval, on_event)) target_gone = true;
    if (target_gone || live::interrupted()) return !target_gone;
    const auto s = sampler.sample(0, on_event);
    if (s.heap_used > hunt.max_capture_heap) {
      alerts.emit("hunt-skipped", "heap used " + report::format_size(s.heap_used) + " is above --max-capture-heap " +
                                      report::format_size(hunt.max_capture_heap) + "; no snapshot taken",
                  {{"heap_used", s.heap_used}});
      return true;
    }
    const std::string path =
        (std::filesystem::path(hunt.dir) / ("hunt-" + std::string(stamp) + "-" + std::to_string(k + 1) + ".heapsnapshot")).string();
    auto r = live::capture_heap_snapshot(session, path, true, false);
    std::cerr << "heapwise watch: captured " << path << " (" << report::format_size(r.bytes) << ")\n";
    files.push_back(path);
  }
  prune_hunt_snapshots(hunt);
  std::cout << "\nLeak report on " << files[0] << " … " << files[2] << ":\n\n";
  std::cout.flush();
  const int code = kLeaksCommand.run(files);
  std::cout.flush();
  alerts.emit("hunt-report", "leak report printed for " + std::string(stamp), {{"snapshots", files}, {"exit", code}});
  return true;
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
  Arguments args(argv, {{"--pid", true}, {"--inspect", true}, {"--url", true}, {"--interval", true},
                        {"--history", true}, {"--window", true}, {"--warmup", true}, {"--max-heap", true},
                        {"--max-rss", true}, {"--events", true}, {"--json", false}, {"--hunt", false},
                        {"--hunt-interval", true}, {"--snapshot-dir", true}, {"--max-snapshots", true},
                        {"--disk-budget", true}, {"--cooldown", true}, {"--max-capture-heap", true},
                        {"--once", false}});
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
  AlertLog alerts(args.value("--events"));
  HuntOptions hunt;
  hunt.enabled = args.flag("--hunt");
  hunt.interval = parse_duration("--hunt-interval", args.value_or("--hunt-interval", "60s"));
  hunt.cooldown = parse_duration("--cooldown", args.value_or("--cooldown", "30m"));
  hunt.dir = args.value_or("--snapshot-dir", "heapwise-snapshots");
  hunt.max_snapshots = args.uint_or("--max-snapshots", 9, 3);
  hunt.disk_budget = args.size("--disk-budget").value_or(uint64_t{2} << 30);
  hunt.max_capture_heap = args.size("--max-capture-heap").value_or(uint64_t{1} << 30);
  live::install_interrupt_handlers();

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
    std::cerr << "heapwise watch: watching " << spec.describe() << " (PID " << session.target_pid() << "), every "
              << interval.count() << " ms; heap limit " << report::format_size(limit) << "\n";

    bool target_gone = false;
    auto on_event = [&](const std::string& method, const nlohmann::json&) {
      if (method == "Runtime.executionContextDestroyed") target_gone = true;
    };
    std::deque<live::MemorySample> samples;
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
      samples.push_back(s);
      if (samples.size() > history) samples.pop_front();
      const uint64_t rss = s.proc_rss ? s.proc_rss : s.rss;
      if (max_heap && s.heap_used > max_heap && !heap_alerted) {
        alerts.emit("max-heap", "heap used " + report::format_size(s.heap_used) + " is above " +
                                    report::format_size(max_heap),
                    {{"heap_used", s.heap_used}, {"threshold", max_heap}});
      }
      heap_alerted = max_heap && s.heap_used > max_heap;
      if (max_rss && rss > *max_rss && !rss_alerted)
        alerts.emit("max-rss", "RSS " + report::format_size(rss) + " is above " + report::format_size(*max_rss),
                    {{"rss", rss}, {"threshold", *max_rss}});
      rss_alerted = max_rss && rss > *max_rss;
      verdict = live::test_trend(heap_levels(samples), trend, static_cast<double>(limit));
      if (verdict.leak && !leak_alerted) {
        std::string text = "heap after GC grows " + mb_per_min(verdict.slope_bytes_per_second) + " (Mann-Kendall p=" +
                           std::to_string(verdict.p_value).substr(0, 8) + ", " +
                           std::to_string(verdict.points) + " post-GC levels)";
        if (verdict.seconds_to_limit >= 0)
          text += "; the heap limit is reached in ~" +
                  std::to_string(static_cast<int64_t>(verdict.seconds_to_limit / 60)) + " min";
        alerts.emit("leak-trend", text,
                    {{"slope_bytes_per_second", verdict.slope_bytes_per_second}, {"p_value", verdict.p_value},
                     {"confidence", verdict.confidence}, {"seconds_to_limit", verdict.seconds_to_limit}});
      }
      leak_alerted = verdict.leak;
      if (verdict.leak && hunt.enabled && hunt.due()) {
        if (!run_hunt(session, sampler, hunt, alerts, on_event, target_gone)) break;
        samples.clear();  // captures disturb the sawtooth: start the trend afresh
        if (args.flag("--once")) break;
      }
      if (Progress::stderr_is_tty())
        std::cerr << "\r\033[K" << "heap " << report::format_size(s.heap_used) << " / "
                  << report::format_size(s.heap_total) << ", RSS " << report::format_size(rss) << std::flush;
      if (!session.cdp().wait_events(interval, on_event)) target_gone = true;
    }
    if (Progress::stderr_is_tty()) std::cerr << "\r\033[K";
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
                                 {"alerts", alerts.count()},
                                 {"trend",
                                  {{"enough_data", verdict.enough_data},
                                   {"leak", verdict.leak},
                                   {"slope_bytes_per_second", verdict.slope_bytes_per_second},
                                   {"p_value", verdict.p_value},
                                   {"points", verdict.points}}}};
      auto& last = out["last_samples"] = nlohmann::ordered_json::array();
      for (size_t i = samples.size() > 10 ? samples.size() - 10 : 0; i < samples.size(); ++i)
        last.push_back(live::to_json(samples[i]));
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "watched " << spec.describe() << " for " << static_cast<int64_t>(seconds) << " s (" << reason
                << "): " << taken << " samples, heap " << report::format_size(lo) << " – " << report::format_size(hi)
                << ", " << alerts.count() << " alerts\n";
      if (!verdict.enough_data)
        std::cout << "trend: not enough post-GC levels yet (" << verdict.points << " of " << trend.min_points
                  << " after the warm-up)\n";
      else
        std::cout << "trend: " << (verdict.leak ? "LEAK" : "no leak") << ", heap after GC "
                  << mb_per_min(verdict.slope_bytes_per_second) << " (p=" << verdict.p_value << ", "
                  << verdict.points << " post-GC levels)\n";
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
