// Opening a snapshot for a command (see command.h).
#include "cli/command.h"
#include "util/progress.h"

namespace heapwise::cli {

std::unique_ptr<Snapshot> open_snapshot(const std::string& path) {
  auto snapshot = Snapshot::open(path, Progress::stderr_is_tty());
  if (!snapshot.ok()) {
    const Error& e = snapshot.error();
    throw CommandFailure(kExitBadInput, path + ": byte " + std::to_string(e.offset) + ": " + e.message);
  }
  return std::move(snapshot.value());
}

}  // namespace heapwise::cli
