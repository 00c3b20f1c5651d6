// GET /metrics: the watch's figures in the Prometheus text format (0.0.4),
// under the names prom-client's default metrics use for a Node.js process
// (process_resident_memory_bytes, nodejs_heap_size_used_bytes, ...) so
// existing dashboards work unchanged, plus heapwise's own (post-GC level,
// trend slope and significance, time to the heap limit, alerts, captures)
// under the heapwise_ prefix. The process_* figures are the target's, read
// from /proc, not heapwise's own.
#pragma once

#include <string>

#include "watch/watch_state.h"

namespace heapwise::server {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string prometheus_metrics(const watch::WatchState& w);

}  // namespace heapwise::server
