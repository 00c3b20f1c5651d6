// Options shared by the commands that talk to a live process (snapshot,
// profile, watch): how the target is named, and durations.
#pragma once

#include <chrono>
#include <string>

#include "cli/arguments.h"
#include "live/target_session.h"

namespace heapwise::cli {

// How many of --pid, --inspect, --url are given.
int target_option_count(const Arguments& args);
// The target those options name.
live::TargetSpec target_spec(const Arguments& args);
// "30s", "500ms", "2m", "1h" (a bare number is seconds); UsageError otherwise.
std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text);

}  // namespace heapwise::cli
