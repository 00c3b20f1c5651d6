// Prometheus exposition (see prometheus_metrics.h).
#include "server/prometheus_metrics.h"

#include <cmath>
#include <cstdio>
#include <regex>
#include <sstream>

namespace heapwise::server {

namespace {

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

class Exposition {
 public:
  // Starts a metric family: HELP and TYPE once.
  Exposition& family(const std::string& name, const char* type, const char* help) {
    name_ = name;
    out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
    return *this;
  }
  Exposition& sample(double value, const std::vector<std::pair<std::string, std::string>>& labels = {}) {
    out_ << name_;
    if (!labels.empty()) {
      out_ << "{";
      for (size_t i = 0; i < labels.size(); ++i)
        out_ << (i ? "," : "") << labels[i].first << "=\"" << escape_label(labels[i].second) << "\"";
      out_ << "}";
    }
    out_ << " " << number(value) << "\n";
    return *this;
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::string name_;
};

}  // namespace

std::string prometheus_metrics(const watch::WatchState& w) {
  Exposition m;
  if (!w.history.empty()) {
    const live::MemorySample& s = w.history.back();
    if (s.proc.known) {
      m.family("process_cpu_user_seconds_total", "counter", "Total user CPU time spent in seconds.")
          .sample(s.proc.cpu_user_seconds);
      m.family("process_cpu_system_seconds_total", "counter", "Total system CPU time spent in seconds.")
          .sample(s.proc.cpu_system_seconds);
      m.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
          .sample(s.proc.cpu_user_seconds + s.proc.cpu_system_seconds);
      m.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.")
          .sample(std::floor(s.proc.start_time_seconds));
      m.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.")
          .sample(static_cast<double>(s.proc.virtual_size));
      m.family("process_heap_bytes", "gauge", "Process heap size in bytes.")
          .sample(static_cast<double>(s.proc.data_size));
      m.family("process_open_fds", "gauge", "Number of open file descriptors.")
          .sample(static_cast<double>(s.proc.open_fds));
      m.family("process_max_fds", "gauge", "Maximum number of open file descriptors.")
          .sample(static_cast<double>(s.proc.max_fds));
    }
    m.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
        .sample(static_cast<double>(s.resident()));
    m.family("nodejs_heap_size_total_bytes", "gauge", "Process heap size from Node.js in bytes.")
        .sample(static_cast<double>(s.heap_total));
    m.family("nodejs_heap_size_used_bytes", "gauge", "Process heap size used from Node.js in bytes.")
        .sample(static_cast<double>(s.heap_used));
    m.family("nodejs_external_memory_bytes", "gauge", "Node.js external memory size in bytes.")
        .sample(static_cast<double>(s.external));
    if (!s.spaces.empty()) {
      m.family("nodejs_heap_space_size_total_bytes", "gauge", "Process heap space size total from Node.js in bytes.");
      for (const auto& sp : s.spaces) m.sample(static_cast<double>(sp.size), {{"space", sp.name}});
      m.family("nodejs_heap_space_size_used_bytes", "gauge", "Process heap space size used from Node.js in bytes.");
      for (const auto& sp : s.spaces) m.sample(static_cast<double>(sp.used), {{"space", sp.name}});
      m.family("nodejs_heap_space_size_available_bytes", "gauge",
               "Process heap space size available from Node.js in bytes.");
      for (const auto& sp : s.spaces) m.sample(static_cast<double>(sp.available), {{"space", sp.name}});
    }
    m.family("heapwise_array_buffers_bytes", "gauge",
             "Memory of ArrayBuffers and SharedArrayBuffers (memoryUsage().arrayBuffers).")
        .sample(static_cast<double>(s.array_buffers));
    m.family("heapwise_last_sample_timestamp_seconds", "gauge", "When the target was last sampled, since unix epoch.")
        .sample(s.wall_time);
  }
  static const std::regex version_re(R"(^v(\d+)\.(\d+)\.(\d+))");
  std::smatch v;
  if (std::regex_search(w.node_version, v, version_re))
    m.family("nodejs_version_info", "gauge", "Node.js version info.")
        .sample(1, {{"version", w.node_version}, {"major", v[1]}, {"minor", v[2]}, {"patch", v[3]}});
  if (w.heap_limit)
    m.family("heapwise_heap_limit_bytes", "gauge", "V8's heap size limit (heap_size_limit).")
        .sample(static_cast<double>(w.heap_limit));
  const auto minima = watch::window_minima(w.heap_levels(), w.trend_options.window_seconds);
  if (!minima.empty())
    m.family("heapwise_heap_post_gc_bytes", "gauge", "Heap used after GC: the minimum of the latest window.")
        .sample(minima.back().v);
  const auto& t = w.trend;
  m.family("heapwise_heap_trend_enough_data", "gauge",
           "1 when the trend test has enough post-GC levels after the warm-up.")
      .sample(t.enough_data ? 1 : 0);
  m.family("heapwise_heap_trend_slope_bytes_per_second", "gauge", "Theil-Sen slope of the post-GC heap levels.")
      .sample(t.slope_bytes_per_second);
  m.family("heapwise_heap_trend_p_value", "gauge", "One-sided Mann-Kendall p-value for an upward trend.")
      .sample(t.p_value);
  m.family("heapwise_leak_suspected", "gauge", "1 while the trend test reports a significant leak.")
      .sample(t.leak ? 1 : 0);
  if (t.seconds_to_limit >= 0)
    m.family("heapwise_heap_seconds_to_limit", "gauge", "Projected time until heap used reaches the heap limit.")
        .sample(t.seconds_to_limit);
  m.family("heapwise_samples_total", "counter", "Samples taken.").sample(static_cast<double>(w.samples_taken));
  m.family("heapwise_alerts_total", "counter", "Alerts raised, by type.");
  for (const char* type : {"leak-trend", "max-heap", "max-rss"}) {
    auto it = w.alert_counts.find(type);
    m.sample(it == w.alert_counts.end() ? 0 : static_cast<double>(it->second), {{"type", type}});
  }
  for (const auto& [type, n] : w.alert_counts)
    if (type != "leak-trend" && type != "max-heap" && type != "max-rss")
      m.sample(static_cast<double>(n), {{"type", type}});
  m.family("heapwise_snapshots_total", "counter", "Heap snapshots captured.")
      .sample(static_cast<double>(w.snapshots_taken));
  return m.text();
}

}  // namespace heapwise::server
