// SIGBUS on a mapped cache entry (see entry_fault_guard.h).
#include "cache/entry_fault_guard.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace heapwise::cache {

namespace {

struct GuardedEntry {
  std::atomic<uintptr_t> begin{0}, end{0};
  char path[512] = {};
  size_t path_length = 0;
};
constexpr int kSlots = 64;
GuardedEntry g_entries[kSlots];
struct sigaction g_previous;

void write_all(const char* text, size_t length) {
  while (length > 0) {
    const ssize_t w = ::write(STDERR_FILENO, text, length);
    if (w <= 0) return;
    text += w;
    length -= static_cast<size_t>(w);
  }
}

// Only async-signal-safe calls: write and _exit.
void on_sigbus(int signal, siginfo_t* info, void* context) {
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  for (const GuardedEntry& e : g_entries) {
    if (address < e.begin.load() || address >= e.end.load()) continue;
    static const char kHead[] = "heapwise: the cache entry ";
    static const char kTail[] =
        " was cut short while in use; run the command again (the file is then analysed again)\n";
    write_all(kHead, sizeof kHead - 1);
    write_all(e.path, e.path_length);
    write_all(kTail, sizeof kTail - 1);
    ::_exit(3);
  }
  // Not an entry's: whoever handled SIGBUS before (the loader's guard for
  // snapshot files, or the default) decides.
  if ((g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_sigaction) {
    g_previous.sa_sigaction(signal, info, context);
  } else if (!(g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_handler != SIG_DFL &&
             g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(signal);
  } else {
    sigaction(SIGBUS, &g_previous, nullptr);  // the fault happens again, handled as it would have been
  }
}

}  // namespace

int guard_entry_mapping(const void* begin, size_t bytes, const std::string& path) {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &g_previous);
  });
  const auto from = reinterpret_cast<uintptr_t>(begin);
  for (int slot = 0; slot < kSlots; ++slot) {
    GuardedEntry& e = g_entries[slot];
    uintptr_t free_slot = 0;
    if (!e.begin.compare_exchange_strong(free_slot, from)) continue;
    e.path_length = std::min(path.size(), sizeof e.path - 1);
    std::memcpy(e.path, path.data(), e.path_length);
    e.end.store(from + bytes);
    return slot;
  }
  return -1;
}

void unguard_entry_mapping(int slot) {
  if (slot < 0) return;
  g_entries[slot].end.store(0);
  g_entries[slot].begin.store(0);
}

}  // namespace heapwise::cache
