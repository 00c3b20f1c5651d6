// What every command file provides, and the errors that end a command with
// a documented exit code.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/snapshot.h"
#include "cli/arguments.h"

namespace heapwise::cli {

// Documented exit codes.
enum ExitCode : int {
  kExitOk = 0,
  kExitLeakFound = 1,      // --fail-on-leak and a leak above the threshold
  kExitUsage = 2,          // bad command line, unknown id/class, bad regex
  kExitBadInput = 3,       // unreadable or malformed snapshot
  kExitUnreachable = 4,    // live target unreachable
  kExitInterrupted = 130,  // Ctrl-C/SIGTERM cut a job short (a watch's hunt)
};

// Ends the command: main prints "heapwise: <message>" and exits with `code`.
struct CommandFailure : std::runtime_error {
  CommandFailure(int code, const std::string& message) : std::runtime_error(message), code(code) {}
  int code;
};

// How many positional arguments a command takes, and what to say otherwise.
struct Positionals {
  size_t min = 0, max = 0;
  const char* wrong_count = "";  // "expects exactly one FILE"
};
constexpr size_t kAnyNumber = static_cast<size_t>(-1);
// Most commands read one snapshot.
constexpr Positionals kOneFile{1, 1, "expects exactly one FILE"};

// A command: what --help shows and what is parsed come from the same table.
// main() parses the arguments, answers --help, checks the positionals, and
// maps every error to its exit code; run() computes one result and renders
// it as text, or with --json as JSON.
struct Command {
  const char* name;
  const char* summary;      // one line for `heapwise help`
  const char* usage;        // after "heapwise NAME ": "FILE [options]"
  const char* description;  // what it does, before the options
  std::vector<OptionSpec> options;
  const char* notes;  // after the options ("" for none)
  Positionals positionals;
  int (*run)(const Arguments& args);
  bool program_after_dashes = false;  // `-- node app.js ...` is a program to start
  // Commands that talk to a live process: what failed, for the message of a
  // protocol error ("capture from" → "capture from PID 42 failed: ...").
  const char* live_activity = nullptr;
  const char* live_failure_note = "";  // appended to that message
};

// The full --help text of a command.
std::string help_text(const Command& c);

// Machine output: pretty-printed, invalid UTF-8 replaced, on stdout.
void print_json(const nlohmann::ordered_json& j);

// Loads and analyses a snapshot, through the binary cache unless the command
// line says --no-cache (docs/cache.md); on bad input throws CommandFailure(3)
// with "FILE: byte OFFSET: what is wrong". Progress goes to stderr on a TTY.
// A snapshot analysed anew is kept for finish_opened_snapshots.
std::shared_ptr<const Snapshot> open_snapshot(const std::string& path, const Arguments& args);
// The same for several files, two loading at a time (a file named twice, by
// any name, is opened once); the error is the first bad file's in the order
// given.
std::vector<std::shared_ptr<const Snapshot>> open_snapshots(const std::vector<std::string>& paths,
                                                            const Arguments& args);
// Shows the phase timings (HEAPWISE_TIMINGS) of the snapshots opened so far
// and writes the cache entries of those analysed anew. main() calls it once
// the command has answered and stdout is closed, so that the answer (and a
// reader's end of file) does not wait for seconds of writing; a command that
// keeps running (a server) calls it before it starts to serve.
void finish_opened_snapshots();
// The --no-cache option of every command that reads snapshots.
OptionSpec no_cache_option();

// "@123" or "123" -> the node with that V8 id; CommandFailure(2) when the
// text is not an id or no node has it.
NodeIndex resolve_node_ref(const Snapshot& snapshot, const std::string& ref);

// The commands (one file each).
extern const Command kSummaryCommand;
extern const Command kStatsCommand;
extern const Command kNodesCommand;
extern const Command kRetainersCommand;
extern const Command kShowCommand;
extern const Command kCacheCommand;
extern const Command kOpenCommand;
extern const Command kDominatorsCommand;
extern const Command kFindCommand;
extern const Command kStringsCommand;
extern const Command kDiffCommand;
extern const Command kLeaksCommand;
extern const Command kSnapshotCommand;
extern const Command kProfileCommand;
extern const Command kWatchCommand;

}  // namespace heapwise::cli
