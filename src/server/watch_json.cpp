// Watch API documents (see watch_json.h).
#include "server/watch_json.h"

#include "util/clock.h"

namespace heapwise::server {

namespace {

nlohmann::ordered_json trend_json(const watch::WatchState& w) {
  const auto& t = w.trend;
  nlohmann::ordered_json j{{"enough_data", t.enough_data},
                           {"leak", t.leak},
                           {"slope_bytes_per_second", t.slope_bytes_per_second},
                           {"slope_mb_per_minute", t.slope_bytes_per_second * 60 / 1e6},
                           {"p_value", t.p_value},
                           {"confidence", t.confidence},
                           {"points", t.points},
                           {"min_points", w.trend_options.min_points}};
  j["seconds_to_limit"] = t.seconds_to_limit >= 0 ? nlohmann::ordered_json(t.seconds_to_limit) : nullptr;
  return j;
}

// The target as responses may name it: an inspector's WebSocket URL is cut
// to its address, since its path (a uuid) is the only secret that guards
// the inspector, and whoever has it can run code in the target.
std::string public_description(const std::string& target) {
  const std::string scheme = "ws://";
  if (target.compare(0, scheme.size(), scheme) != 0) return target;
  const size_t slash = target.find('/', scheme.size());
  return "inspector at " +
         target.substr(scheme.size(), slash == std::string::npos ? std::string::npos : slash - scheme.size());
}

nlohmann::ordered_json target_json(const watch::WatchState& w) {
  return {{"description", public_description(w.target)},
          {"pid", w.pid},
          {"node_version", w.node_version},
          {"heap_limit", w.heap_limit},
          {"watch_started", w.started},
          {"interval_seconds", w.interval_seconds}};
}

}  // namespace

nlohmann::ordered_json stats_json(const watch::WatchState& w) {
  const double now = epoch_seconds();
  nlohmann::ordered_json j;
  j["time"] = now;
  j["target"] = target_json(w);
  j["activity"] = w.activity;
  if (w.activity == "capturing")
    j["capture"] = {{"phase", w.capture.writing ? "writing" : "walking"},
                    {"objects_done", w.capture.done},
                    {"objects_total", w.capture.total},
                    {"bytes_written", w.capture.bytes}};
  j["uptime_seconds"] = now - w.started;
  j["samples"] = w.samples_taken;
  j["sample"] = w.history.empty() ? nlohmann::ordered_json() : live::to_json(w.history.back());
  j["trend"] = trend_json(w);
  uint64_t alerts = 0;
  for (const auto& [type, n] : w.alert_counts) alerts += n;
  j["alerts"] = alerts;
  j["snapshots"] = w.snapshots_taken;
  j["leak_report_time"] =
      w.leak_report.is_null() ? nlohmann::ordered_json() : nlohmann::ordered_json(w.leak_report_time);
  return j;
}

nlohmann::ordered_json report_json(const watch::WatchState& w) {
  nlohmann::ordered_json j;
  j["time"] = epoch_seconds();
  j["target"] = target_json(w);
  j["activity"] = w.activity;
  j["trend_options"] = {{"window_seconds", w.trend_options.window_seconds},
                        {"warmup_seconds", w.trend_options.warmup_seconds},
                        {"p_threshold", w.trend_options.p_threshold},
                        {"min_slope_bytes_per_second", w.trend_options.min_slope_bytes_per_second}};
  j["trend"] = trend_json(w);
  j["history_limit"] = w.history_limit;
  auto& history = j["history"] = nlohmann::ordered_json::array();
  for (const auto& s : w.history)
    history.push_back({{"t", s.t},
                       {"time", s.wall_time},
                       {"heap_used", s.heap_used},
                       {"heap_total", s.heap_total},
                       {"rss", s.resident()},
                       {"external", s.external},
                       {"array_buffers", s.array_buffers}});
  // The post-GC levels (the minimum of each window) the trend test reads.
  auto& levels = j["post_gc_levels"] = nlohmann::ordered_json::array();
  for (const auto& m : watch::window_minima(w.heap_levels(), w.trend_options.window_seconds))
    levels.push_back({{"t", m.t}, {"heap_used", m.v}});
  auto& alerts = j["alerts"] = nlohmann::ordered_json::array();
  for (const auto& a : w.alerts) {
    nlohmann::ordered_json aj{{"time", a.time}, {"type", a.type}, {"message", a.message}};
    for (const auto& [k, v] : a.fields.items()) aj[k] = v;
    alerts.push_back(std::move(aj));
  }
  j["alert_counts"] = w.alert_counts;
  auto& snaps = j["snapshots"] = nlohmann::ordered_json::array();
  for (const auto& s : w.snapshots)
    snaps.push_back(
        {{"file", s.file}, {"reason", s.reason}, {"bytes", s.bytes}, {"time", s.time}, {"seconds", s.seconds}});
  j["leak_report"] = w.leak_report.is_null()
                         ? nlohmann::ordered_json()
                         : nlohmann::ordered_json{{"time", w.leak_report_time}, {"report", w.leak_report}};
  return j;
}

}  // namespace heapwise::server
