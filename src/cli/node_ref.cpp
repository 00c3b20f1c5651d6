// Resolving "@ID" arguments (see command.h).
#include "cli/command.h"

namespace heapwise::cli {

NodeIndex resolve_node_ref(const Snapshot& snapshot, const std::string& ref) {
  std::string digits = !ref.empty() && ref[0] == '@' ? ref.substr(1) : ref;
  bool ok = !digits.empty() && digits.size() <= 10;
  uint64_t id = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') ok = false;
    id = id * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!ok || id > 0xffffffffu) throw CommandFailure(kExitUsage, "'" + ref + "' is not a node id (expected @123)");
  NodeIndex n = snapshot.find_node(static_cast<uint32_t>(id));
  if (n.is_none()) throw CommandFailure(kExitUsage, "no node has id @" + digits + " in this snapshot");
  return n;
}

}  // namespace heapwise::cli
