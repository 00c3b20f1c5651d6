// Where `watch` alerts go: one line on stderr, a JSON line in the --events
// file, and the shared state (for /memory/report, /metrics, the dashboard).
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "watch/watch_state.h"

namespace heapwise::watch {

class AlertLog {
 public:
  // Throws std::runtime_error when the events file cannot be opened.
  AlertLog(const std::optional<std::string>& events_path, SharedWatchState& state);
  void emit(const std::string& type, const std::string& text,
            nlohmann::ordered_json fields = nlohmann::ordered_json::object());
  uint64_t count() const { return count_; }

 private:
  std::ofstream file_;
  SharedWatchState& state_;
  uint64_t count_ = 0;
};

// "2026-11-25T20:31:30Z"
std::string iso_time_now();

}  // namespace heapwise::watch
