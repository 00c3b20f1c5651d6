// `heapwise snapshot`: capture a heap snapshot from a running Node.js process.
#include <ctime>
#include <iostream>

#include "cli/arguments.h"
#include "cli/capture_progress_line.h"
#include "cli/command.h"
#include "cli/live_options.h"
#include "live/interrupt.h"
#include "live/snapshot_capture.h"
#include "live/target_session.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "Captures a heap snapshot of a running Node.js process over the V8 inspector\n"
    "protocol and writes it to FILE (default heapwise-PID-DATE-TIME.heapsnapshot).\n"
    "The snapshot is streamed into an unnamed file (FILE.partial on a file system\n"
    "without O_TMPFILE) that gets its name only when complete: a failed,\n"
    "interrupted or killed capture leaves no file behind. On a terminal it shows\n"
    "V8's progress; a capture with no progress for --stall-timeout is abandoned\n"
    "(the target stopped or stuck), and the target is left running.\n";

const std::vector<OptionSpec> kOptions = with_target_options({
    {"-o", "FILE", "where to write the snapshot"},
    {"--gc", "", "collect garbage first (the snapshot itself also does a full GC)"},
    {"--stall-timeout", "DURATION", "abandon a capture without progress for this long (default 30s)"},
});

const char kNotes[] =
    "Note: while V8 writes the snapshot the target's event loop is blocked (seconds\n"
    "per million objects) and its RSS grows by several times its heap.\n"
    "Exit codes: 0 written, 2 usage, 4 target unreachable or capture failed.\n";

std::string default_name(pid_t pid) {
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return "heapwise-" + std::to_string(pid) + "-" + stamp + ".heapsnapshot";
}

int run(const Arguments& args) {
  const live::TargetSpec spec = target_spec(args);
  if (target_option_count(args) != 1) throw UsageError("give exactly one of --pid, --inspect, --url");
  CaptureProgressLine line;
  live::CaptureOptions options;
  options.collect_garbage = args.flag("--gc");
  options.stall_timeout = parse_duration("--stall-timeout", args.value_or("--stall-timeout", "30s"));
  options.on_progress = line.handler();
  live::install_interrupt_handlers();
  live::TargetSession session(spec);
  const std::string path = args.value_or("-o", default_name(session.target_pid()));
  auto r = live::capture_heap_snapshot(session, path, options);
  session.leave();
  std::cout << "wrote " << path << " (" << format_size(r.bytes) << " in " << r.chunks << " chunks, "
            << static_cast<int>(r.seconds * 1000) << " ms) from " << spec.describe() << "\n";
  return kExitOk;
}

}  // namespace

const Command kSnapshotCommand{"snapshot",
                               "capture a heap snapshot from a running Node.js process",
                               "(--pid PID | --inspect HOST:PORT | --url WS) [options]",
                               kDescription,
                               kOptions,
                               kNotes,
                               {0, 0, "takes no FILE; use -o FILE"},
                               run,
                               false,
                               "capture from",
                               " (no file written)"};

}  // namespace heapwise::cli
