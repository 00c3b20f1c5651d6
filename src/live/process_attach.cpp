// Attaching by PID (see process_attach.h).
#include "live/process_attach.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "live/inspector_address.h"
#include "live/inspector_http.h"

namespace heapwise::live {

namespace {

constexpr uint64_t kSigusr1Bit = uint64_t{1} << (SIGUSR1 - 1);

struct SignalMasks {
  bool exists = false;
  uint64_t caught = 0, blocked = 0, pending = 0;
};

SignalMasks read_masks(pid_t pid) {
  SignalMasks m;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return m;
  m.exists = true;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("SigCgt:", 0) == 0) m.caught = std::stoull(line.substr(7), nullptr, 16);
    if (line.rfind("SigBlk:", 0) == 0) m.blocked = std::stoull(line.substr(7), nullptr, 16);
    // Pending for the main thread (SigPnd) or for the whole process (ShdPnd).
    if (line.rfind("SigPnd:", 0) == 0 || line.rfind("ShdPnd:", 0) == 0)
      m.pending |= std::stoull(line.substr(7), nullptr, 16);
  }
  return m;
}

std::set<uint64_t> socket_inodes(pid_t pid) {
  std::set<uint64_t> inodes;
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = opendir(dir.c_str());
  if (!d) return inodes;
  while (dirent* e = readdir(d)) {
    char target[256];
    const std::string link = dir + "/" + e->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    if (n <= 0) continue;
    target[n] = 0;
    unsigned long long inode = 0;
    if (std::sscanf(target, "socket:[%llu]", &inode) == 1) inodes.insert(inode);
  }
  closedir(d);
  return inodes;
}

// A row of /proc/PID/net/tcp{,6}: the sockets of the process's network namespace.
struct TcpSocket {
  uint16_t local_port = 0;
  bool local_loopback = false;  // bound to 127.0.0.0/8 or ::1 (or ::ffff:127.x), not to every address
  unsigned state = 0;
  unsigned long long inode = 0;
};
constexpr unsigned kTcpEstablished = 0x01, kTcpListen = 0x0A;

// A local address as /proc/net/tcp{,6} prints it: 32-bit words in hex, each
// in the host's byte order (little-endian here), so 127.0.0.1 reads 0100007F.
bool is_loopback_hex(const std::string& hex) {
  if (hex.size() == 8) return hex.substr(6, 2) == "7F";
  if (hex.size() != 32) return false;
  if (hex == "00000000000000000000000001000000") return true;                           // ::1
  return hex.substr(0, 16) == "0000000000000000" && hex.substr(16, 8) == "FFFF0000" &&  // ::ffff:127.x.y.z
         hex.substr(30, 2) == "7F";
}

template <typename F>
void for_each_tcp_socket(pid_t pid, const F& f) {
  for (const char* table : {"tcp", "tcp6"}) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/net/" + table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream row(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
      TcpSocket s;
      row >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> s.inode;
      const auto colon = local.rfind(':');
      if (colon == std::string::npos || state.empty()) continue;
      s.local_port = static_cast<uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16));
      s.local_loopback = is_loopback_hex(local.substr(0, colon));
      s.state = static_cast<unsigned>(std::stoul(state, nullptr, 16));
      f(s);
    }
  }
}

bool wait_for(const std::chrono::milliseconds total, const auto& condition) {
  const auto end = std::chrono::steady_clock::now() + total;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

// What the process runs, checked before it is sent anything: an ELF
// executable that carries Node's inspector (the message it prints when the
// inspector opens). A signal mask says only that SIGUSR1 is caught, which
// dd and many servers do for their own purposes.
std::string executable_refusal(pid_t pid) {
  const std::string exe_link = "/proc/" + std::to_string(pid) + "/exe";
  char target[4096];
  const ssize_t n = readlink(exe_link.c_str(), target, sizeof target - 1);
  const std::string who = "PID " + std::to_string(pid);
  if (n <= 0)
    return "cannot see what " + who + " runs (" + exe_link + ": " + std::strerror(errno) + "); nothing was sent";
  target[n] = 0;
  const int fd = open(exe_link.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 64) {
    if (fd >= 0) close(fd);
    return "cannot read the executable of " + who + " (" + target + "); nothing was sent";
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return "cannot read the executable of " + who + " (" + target + "); nothing was sent";
  const auto* bytes = static_cast<const char*>(map);
  static constexpr char kInspectorMark[] = "Debugger listening on";
  const bool elf = std::memcmp(bytes,
                               "\x7f"
                               "ELF",
                               4) == 0;
  const bool inspector = memmem(bytes, size, kInspectorMark, sizeof kInspectorMark - 1) != nullptr;
  munmap(map, size);
  if (!elf || !inspector)
    return who + " runs " + target +
           ", not a Node.js with an inspector, so SIGUSR1 would not open one; nothing was sent";
  return "";
}

// The first of the process's listening ports that is a Node inspector.
std::optional<uint16_t> find_inspector_port(pid_t pid) {
  for (uint16_t port : listening_ports(pid))
    if (is_node_inspector("127.0.0.1", port, std::chrono::milliseconds(1000))) return port;
  return std::nullopt;
}

}  // namespace

char process_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');  // the command name may hold spaces and parentheses
  return paren != std::string::npos && paren + 2 < text.size() ? text[paren + 2] : 0;
}

size_t inspector_connections(pid_t pid, uint16_t port) {
  size_t n = 0;
  for_each_tcp_socket(pid, [&](const TcpSocket& s) { n += s.state == kTcpEstablished && s.local_port == port; });
  return n;
}

namespace {

// The process's own listening sockets (its socket inodes among the namespace's rows).
std::vector<TcpSocket> listening_sockets(pid_t pid) {
  const auto inodes = socket_inodes(pid);
  std::vector<TcpSocket> sockets;
  for_each_tcp_socket(pid, [&](const TcpSocket& s) {
    if (s.state == kTcpListen && inodes.count(s.inode)) sockets.push_back(s);
  });
  return sockets;
}

}  // namespace

std::vector<uint16_t> listening_ports(pid_t pid) {
  std::vector<uint16_t> ports;
  for (const TcpSocket& s : listening_sockets(pid)) ports.push_back(s.local_port);
  return ports;
}

bool listens_on_loopback_only(pid_t pid, uint16_t port) {
  bool any = false, all_loopback = true;
  for (const TcpSocket& s : listening_sockets(pid)) {
    if (s.local_port != port) continue;
    any = true;
    all_loopback = all_loopback && s.local_loopback;
  }
  return any && all_loopback;
}

bool wait_port_closed(pid_t pid, uint16_t port, std::chrono::milliseconds timeout) {
  return wait_for(timeout, [&] {
    const auto ports = listening_ports(pid);
    return std::find(ports.begin(), ports.end(), port) == ports.end();
  });
}

InspectorEndpoint open_inspector(pid_t pid) {
  const SignalMasks masks = read_masks(pid);
  if (!masks.exists) throw AttachError("no process with PID " + std::to_string(pid));
  const std::string who = "PID " + std::to_string(pid);
  // A stopped process answers nothing, and a SIGUSR1 sent now would open
  // its inspector whenever it is resumed, long after we gave up.
  const char state = process_state(pid);
  if (is_stopped(state))
    throw AttachError(who + " is stopped (SIGSTOP, or held by a debugger); resume it with kill -CONT " +
                      std::to_string(pid) + " and try again; nothing was sent");
  if (state == 'Z') throw AttachError(who + " has exited (a zombie); nothing was sent");
  InspectorEndpoint ep;
  if (auto port = find_inspector_port(pid)) {
    ep.port = *port;
    return ep;
  }
  // SIGUSR1 only opens the inspector when Node's handler is installed; a
  // process without a handler would be killed by it, so never send it then.
  if (!(masks.caught & kSigusr1Bit)) {
    if (masks.blocked & kSigusr1Bit)
      throw AttachError("PID " + std::to_string(pid) +
                        " blocks SIGUSR1 (a Node.js started with --disable-sigusr1 or the permission model): "
                        "start it with --inspect=127.0.0.1:0 to let heapwise attach");
    throw AttachError("PID " + std::to_string(pid) +
                      " does not handle SIGUSR1, so it is not a Node.js process that can open its inspector "
                      "(the signal would kill it); nothing was sent");
  }
  if (const std::string why = executable_refusal(pid); !why.empty()) throw AttachError(why);
  const auto address = read_inspector_address(pid);
  if (!address)
    throw AttachError("cannot read the command line and environment of " + who +
                      " to see where SIGUSR1 would open its inspector; nothing was sent");
  if (!is_loopback_host(address->host))
    throw AttachError(who + " would open its inspector on " + address->host_port() + " (" + address->option +
                      "), where other machines can reach it; heapwise opens inspectors on loopback only, "
                      "so nothing was sent. Start it with --inspect-port=127.0.0.1:" +
                      std::to_string(address->port) + " to let heapwise attach");
  if (kill(pid, SIGUSR1) != 0)
    throw AttachError("cannot signal PID " + std::to_string(pid) + ": " + std::strerror(errno));
  std::optional<uint16_t> port;
  if (!wait_for(std::chrono::milliseconds(5000), [&] { return (port = find_inspector_port(pid)).has_value(); })) {
    // A stop that landed after the check above (a SIGSTOP still being
    // delivered, a debugger): say so rather than blame the app's handler.
    if (is_stopped(process_state(pid)))
      throw AttachError(
          who + " was stopped (SIGSTOP, or held by a debugger) while heapwise waited for its inspector; " +
          (read_masks(pid).pending & kSigusr1Bit
               ? "the SIGUSR1 heapwise sent is pending, so it opens its inspector when resumed (kill -CONT " +
                     std::to_string(pid) + ")"
               : "resume it with kill -CONT " + std::to_string(pid) + " and try again"));
    const bool port_taken =
        address->port != 0 && is_node_inspector("127.0.0.1", address->port, std::chrono::milliseconds(500));
    throw AttachError("sent SIGUSR1 to PID " + std::to_string(pid) + " but no inspector opened within 5 s: " +
                      (port_taken ? "port " + std::to_string(address->port) + " is taken by another process's inspector"
                                  : "the app handles SIGUSR1 itself (process.on('SIGUSR1') replaces Node's handler)") +
                      "; start it with --inspect=127.0.0.1:0 to let heapwise attach");
  }
  ep.port = *port;
  ep.opened_by_us = true;
  ep.loopback_only = listens_on_loopback_only(pid, ep.port);
  return ep;
}

}  // namespace heapwise::live
