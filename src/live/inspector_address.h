// Where SIGUSR1 makes a node process open its inspector. Node takes the
// address from --inspect-port (alias --debug-port) and from the values of
// --inspect=, --inspect-brk=, --inspect-wait= and --debug=, in NODE_OPTIONS
// first and then on the command line, each later one updating the host when
// it names one and the port; 127.0.0.1:9229 when none is given. One started
// with --inspect-port=0.0.0.0:9229 opens it to every machine that can reach
// the host, so heapwise reads the address before it signals (docs/live-attach.md).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heapwise::live {

struct InspectorAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 9229;           // 0: any free port
  std::string option;             // the last option that set it ("--inspect-port=0.0.0.0:9229"); empty: node's default
  std::string host_port() const;  // "0.0.0.0:9229", "[::]:9229"
};

// The address from `args` (the command line, argv[0] first) and the words of
// NODE_OPTIONS. Every argument is read, the script's own ones too: one that
// looks like an inspector option makes heapwise refuse at worst, never open
// an inspector where it did not expect.
InspectorAddress inspector_address(const std::vector<std::string>& args, std::string_view node_options);

// 127.0.0.0/8, ::1 and "localhost": an address no other machine can reach.
bool is_loopback_host(std::string_view host);

// From /proc/PID/cmdline and the NODE_OPTIONS of /proc/PID/environ; nullopt
// when either cannot be read.
std::optional<InspectorAddress> read_inspector_address(pid_t pid);

}  // namespace heapwise::live
