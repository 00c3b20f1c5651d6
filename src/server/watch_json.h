// The JSON documents of the watch's HTTP API: GET /memory/stats (the
// current figures) and GET /memory/report (history, trend, alerts,
// snapshots, the last leak report).
#pragma once

#include <nlohmann/json.hpp>

#include "watch/watch_state.h"

namespace heapwise::server {

nlohmann::ordered_json stats_json(const watch::WatchState& w);
nlohmann::ordered_json report_json(const watch::WatchState& w);

}  // namespace heapwise::server
