// What the fuzz targets share: the input as a file (heapwise reads
// snapshots and profiles by path), and the command runner that treats the
// documented failures as answers and anything else as a finding.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "cli/command.h"

namespace heapwise::fuzz {

// Where scratch files go: /dev/shm (memory) when there is one.
inline std::string scratch_dir() { return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"; }

// Writes the input to this process's scratch file named with `suffix` and
// returns its path.
inline std::string write_input(const uint8_t* data, size_t size, const std::string& suffix) {
  static const std::string dir = scratch_dir();
  const std::string path = dir + "/heapwise-fuzz-" + std::to_string(getpid()) + suffix;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

// The commands print their answers; the fuzzer only wants them computed.
inline void silence_stdout() {
  const int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, STDOUT_FILENO);
}

// Runs a command as main() does after parsing, then writes the cache
// entries it left pending, as main() does. A CommandFailure (a bad
// input or an unknown id, with its exit code) is an answer; any other
// exception escapes to the fuzzer as a crash, since main() would only catch
// it in its last-resort handler.
inline void run_command(const cli::Command& command, const std::vector<std::string>& argv) {
  try {
    command.run(cli::Arguments(argv, command.options, command.program_after_dashes));
  } catch (const cli::CommandFailure&) {
  }
  cli::finish_opened_snapshots();
}

}  // namespace heapwise::fuzz
