// heapwise: the command-line entry point. Only dispatches to the commands.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/live_options.h"
#include "live/cdp_client.h"
#include "live/interrupt.h"
#include "live/process_attach.h"
#include "watch/watch.h"

namespace {

using heapwise::cli::Command;

const Command* const kCommands[] = {
    &heapwise::cli::kSummaryCommand,  &heapwise::cli::kStatsCommand,      &heapwise::cli::kRetainersCommand,
    &heapwise::cli::kShowCommand,     &heapwise::cli::kDominatorsCommand, &heapwise::cli::kFindCommand,
    &heapwise::cli::kStringsCommand,  &heapwise::cli::kDiffCommand,       &heapwise::cli::kLeaksCommand,
    &heapwise::cli::kSnapshotCommand, &heapwise::cli::kProfileCommand,    &heapwise::cli::kWatchCommand,
    &heapwise::cli::kNodesCommand,    &heapwise::cli::kOpenCommand,       &heapwise::cli::kCacheCommand,
};

void print_help(std::ostream& out) {
  out << "heapwise " HEAPWISE_VERSION
         " - find memory leaks in JavaScript heap snapshots\n\n"
         "Usage: heapwise <command> [options] FILE...\n\nCommands:\n";
  for (const Command* c : kCommands) {
    std::string name = c->name;
    name.resize(12, ' ');
    out << "  " << name << c->summary << "\n";
  }
  out << "\nRun 'heapwise <command> --help' for a command's options.\n"
         "Exit codes: 0 ok, 1 leak found (--fail-on-leak), 2 usage error, 3 bad input file,\n"
         "            4 live target unreachable.\n"
         "Environment: NO_COLOR disables colour; progress is drawn on stderr only when it is a TTY.\n";
}

// Parses a command's arguments, answers --help, checks the positionals,
// runs it, and turns every error into its line on stderr and exit code.
int run_command(const Command& c, const std::vector<std::string>& argv) {
  using namespace heapwise;
  using namespace heapwise::cli;
  std::string target;  // for live errors: what was being talked to
  try {
    const Arguments args(argv, c.options, c.program_after_dashes);
    if (args.help()) {
      std::cout << help_text(c);
      return kExitOk;
    }
    const size_t n = args.positionals().size();
    if (n < c.positionals.min || n > c.positionals.max) throw UsageError(c.positionals.wrong_count);
    if (c.live_activity && target_option_count(args) == 1) target = " " + target_spec(args).describe();
    return c.run(args);
  } catch (const UsageError& e) {
    std::cerr << "heapwise " << c.name << ": " << e.what() << "\nTry 'heapwise " << c.name << " --help'.\n";
    return kExitUsage;
  } catch (const CommandFailure& e) {
    std::cerr << "heapwise: " << e.what() << "\n";
    return e.code;
  } catch (const live::AttachError& e) {
    std::cerr << "heapwise: " << e.what() << "\n";
    return kExitUnreachable;
  } catch (const live::CdpError& e) {
    std::cerr << "heapwise: " << (c.live_activity ? c.live_activity : c.name) << target << " failed: " << e.what()
              << c.live_failure_note << "\n";
    return live::interrupted() ? kExitInterrupted : kExitUnreachable;
  } catch (const watch::WatchError& e) {
    std::cerr << "heapwise: " << e.what() << "\n";
    return kExitUnreachable;
  } catch (const std::bad_alloc&) {
    std::cerr << "heapwise: out of memory\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    // Never an abort: whatever a library throws on odd input ends in one line.
    std::cerr << "heapwise: " << c.name << " failed: " << e.what() << "\n";
    return kExitBadInput;
  }
}

// The answer is complete: whoever reads stdout sees its end now, and the
// cache entries of what the command analysed (seconds of writing for a big
// heap) are written after it.
void write_cache_after_answer() {
  std::cout.flush();
  std::fflush(stdout);
  if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) {
    ::dup2(null, STDOUT_FILENO);
    ::close(null);
  }
  try {
    heapwise::cli::finish_opened_snapshots();
  } catch (const std::exception& e) {
    std::cerr << "heapwise: not caching the analysis: " << e.what() << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_help(std::cerr);
    return heapwise::cli::kExitUsage;
  }
  const std::string& name = args[0];
  if (name == "--version" || name == "-V" || name == "version") {
    std::cout << "heapwise " HEAPWISE_VERSION "\n";
    return 0;
  }
  if (name == "help" || name == "--help" || name == "-h") {
    if (args.size() > 1) {
      for (const Command* c : kCommands)
        if (args[1] == c->name) {
          std::cout << heapwise::cli::help_text(*c);
          return 0;
        }
      std::cerr << "heapwise: unknown command '" << args[1] << "'\n";
      return heapwise::cli::kExitUsage;
    }
    print_help(std::cout);
    return 0;
  }
  for (const Command* c : kCommands)
    if (name == c->name) {
      const int code = run_command(*c, std::vector<std::string>(args.begin() + 1, args.end()));
      write_cache_after_answer();
      return code;
    }
  std::cerr << "heapwise: unknown command '" << name << "'\nRun 'heapwise help' for the list of commands.\n";
  return heapwise::cli::kExitUsage;
}
