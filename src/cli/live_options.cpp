// Live-target options (see live_options.h).
#include "cli/live_options.h"

#include <regex>

namespace heapwise::cli {

std::vector<OptionSpec> with_target_options(std::vector<OptionSpec> more) {
  std::vector<OptionSpec> all = {
      {"--pid", "PID",
       "a local process: its inspector if it listens, otherwise\nheapwise opens it with SIGUSR1 (on 127.0.0.1 only, "
       "after\nchecking in /proc that the process handles the signal)\nand closes it again when done"},
      {"--inspect", "HOST:PORT", "an inspector already listening (node --inspect=HOST:PORT)"},
      {"--url", "WS", "a WebSocket debugger URL (ws://127.0.0.1:9229/<id>)"},
  };
  all.insert(all.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  return all;
}

int target_option_count(const Arguments& args) {
  return (args.value("--pid") ? 1 : 0) + (args.value("--inspect") ? 1 : 0) + (args.value("--url") ? 1 : 0);
}

live::TargetSpec target_spec(const Arguments& args) {
  live::TargetSpec spec;
  if (args.value("--pid")) spec.pid = static_cast<pid_t>(args.uint_or("--pid", 0, 1));
  if (auto i = args.value("--inspect")) spec.inspect = *i;
  if (auto u = args.value("--url")) spec.url = *u;
  return spec;
}

std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text) {
  static const std::regex re(R"(^(\d+(?:\.\d+)?)(ms|s|m|h)?$)");
  std::smatch m;
  if (!std::regex_match(text, m, re))
    throw UsageError(option + " needs a duration like 30s or 500ms, not '" + text + "'");
  const double v = std::stod(m[1]);
  const std::string unit = m[2].matched ? std::string(m[2]) : "s";
  const double ms = unit == "ms" ? v : unit == "s" ? v * 1000 : unit == "m" ? v * 60000 : v * 3600000;
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

}  // namespace heapwise::cli
