// Alert output (see alert_log.h).
#include "watch/alert_log.h"

#include <chrono>
#include <ctime>
#include <iostream>
#include <stdexcept>

#include "util/clock.h"

namespace heapwise::watch {

std::string iso_time_now() {
  char buf[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

AlertLog::AlertLog(const std::optional<std::string>& events_path, SharedWatchState& state) : state_(state) {
  if (!events_path) return;
  file_.open(*events_path, std::ios::app);
  if (!file_) throw std::runtime_error("cannot write --events file " + *events_path);
}

void AlertLog::emit(const std::string& type, const std::string& text, nlohmann::ordered_json fields) {
  const std::string when = iso_time_now();
  std::cerr << "heapwise watch: " << when << " ALERT " << type << ": " << text << "\n";
  ++count_;
  const double now = epoch_seconds();
  if (file_.is_open()) {
    nlohmann::ordered_json j{{"time", when}, {"type", type}, {"message", text}};
    for (auto& [k, v] : fields.items()) j[k] = v;
    file_ << j.dump() << "\n";
    file_.flush();
  }
  state_.add_alert({now, type, text, std::move(fields)});
}

}  // namespace heapwise::watch
