// What every command file provides, and the errors that end a command with
// a documented exit code.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/snapshot.h"

namespace heapwise::cli {

// Documented exit codes.
enum ExitCode : int {
  kExitOk = 0,
  kExitLeakFound = 1,    // --fail-on-leak and a leak above the threshold
  kExitUsage = 2,        // bad command line, unknown id/class, bad regex
  kExitBadInput = 3,     // unreadable or malformed snapshot
  kExitUnreachable = 4,  // live target unreachable
};

// Ends the command: main prints "heapwise: <message>" and exits with `code`.
struct CommandFailure : std::runtime_error {
  CommandFailure(int code, const std::string& message) : std::runtime_error(message), code(code) {}
  int code;
};

struct Command {
  const char* name;
  const char* summary;  // one line for `heapwise help`
  const char* help;     // full text for `heapwise COMMAND --help`
  int (*run)(const std::vector<std::string>& args);
};

// Loads and analyses a snapshot; on bad input throws CommandFailure(3) with
// "FILE: byte OFFSET: what is wrong". Progress goes to stderr on a TTY.
std::unique_ptr<Snapshot> open_snapshot(const std::string& path);

// "@123" or "123" -> the node with that V8 id; CommandFailure(2) when the
// text is not an id or no node has it.
NodeIndex resolve_node_ref(const Snapshot& snapshot, const std::string& ref);

// The commands (one file each).
extern const Command kSummaryCommand;
extern const Command kStatsCommand;
extern const Command kNodesCommand;
extern const Command kRetainersCommand;
extern const Command kShowCommand;
extern const Command kDominatorsCommand;
extern const Command kFindCommand;
extern const Command kStringsCommand;
extern const Command kDiffCommand;
extern const Command kLeaksCommand;
extern const Command kSnapshotCommand;
extern const Command kProfileCommand;
extern const Command kWatchCommand;

}  // namespace heapwise::cli
