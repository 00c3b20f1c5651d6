// Finding (or opening) the inspector of a local process by PID, as
// docs/live-attach.md explains: look for a listening inspector first; otherwise
// check from /proc that SIGUSR1 would open one (and not kill the process),
// send it, and wait for the port.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace heapwise::live {

// The target cannot be reached; the message says why (exit code 4).
struct AttachError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct InspectorEndpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  bool opened_by_us = false;  // close it again when done
  bool loopback_only = true;  // every socket listening on `port` is bound to loopback
};

// TCP ports the process listens on (from /proc/PID/fd and /proc/PID/net/tcp{,6}).
std::vector<uint16_t> listening_ports(pid_t pid);

// The process's state letter from /proc/PID/stat ('R', 'S', 'T' stopped,
// 't' traced, 'Z' zombie...), or 0 when it cannot be read.
char process_state(pid_t pid);

// Whether a state letter from process_state() is a stopped process: 'T'
// (SIGSTOP, SIGTSTP) or 't' (held by a tracer such as a debugger).
inline bool is_stopped(char state) { return state == 'T' || state == 't'; }

// Open TCP connections to the inspector on `port` (the target's side:
// local port `port`, established), ours included.
size_t inspector_connections(pid_t pid, uint16_t port);

// Whether the process listens on `port`, and only on loopback addresses.
bool listens_on_loopback_only(pid_t pid, uint16_t port);

// Waits until the process no longer listens on `port` (at most `timeout`);
// false when it still does.
bool wait_port_closed(pid_t pid, uint16_t port, std::chrono::milliseconds timeout);

// Throws AttachError with the reason when the inspector cannot be reached.
InspectorEndpoint open_inspector(pid_t pid);

}  // namespace heapwise::live
