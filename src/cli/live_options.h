// Options shared by the commands that talk to a live process (snapshot,
// profile, watch): how the target is named, and durations.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "live/target_session.h"

namespace heapwise::cli {

// The options that name a live target (--pid, --inspect, --url), then
// `more`: the option table of a command that talks to a process. A function,
// not a shared table, so the commands' tables can be built from it in any
// order at start-up.
std::vector<OptionSpec> with_target_options(std::vector<OptionSpec> more);
// How many of --pid, --inspect, --url are given.
int target_option_count(const Arguments& args);
// The target those options name.
live::TargetSpec target_spec(const Arguments& args);
// "30s", "500ms", "2m", "1h" (a bare number is seconds); UsageError otherwise.
std::chrono::milliseconds parse_duration(const std::string& option, const std::string& text);

}  // namespace heapwise::cli
