// One SIGBUS handler for every guarded mapping (see mapping_fault_guard.h).
#include "util/mapping_fault_guard.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace heapwise {

struct MappingFaultGuard::Slot {
  std::atomic<uintptr_t> begin{0}, end{0};  // begin is 0 while the slot is free
  std::atomic<bool> faulted{false};
  OnFault on_fault = OnFault::kReadZeros;
  char exit_line[1024] = {};
  size_t exit_line_length = 0;
};

namespace {

// A fixed table, not a container: the handler may not allocate or lock.
constexpr int kSlots = 64;
MappingFaultGuard::Slot* slots() {
  static MappingFaultGuard::Slot table[kSlots];
  return table;
}
struct sigaction g_previous;
uintptr_t g_page_size = 4096;

void write_all(const char* text, size_t length) {
  while (length > 0) {
    const ssize_t w = ::write(STDERR_FILENO, text, length);
    if (w <= 0) return;
    text += w;
    length -= static_cast<size_t>(w);
  }
}

// Only async-signal-safe calls: mmap, write, _exit, sigaction.
void on_sigbus(int signal, siginfo_t* info, void* context) {
  using OnFault = MappingFaultGuard::OnFault;
  const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
  for (int i = 0; i < kSlots; ++i) {
    MappingFaultGuard::Slot& slot = slots()[i];
    const uintptr_t begin = slot.begin.load(), end = slot.end.load();
    if (address < begin || address >= end) continue;
    if (slot.on_fault == OnFault::kReportAndExit) {
      write_all(slot.exit_line, slot.exit_line_length);
      ::_exit(3);
    }
    const uintptr_t page = address & ~(g_page_size - 1);
    if (::mmap(reinterpret_cast<void*>(page), end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
        MAP_FAILED)
      break;
    slot.faulted.store(true);
    return;
  }
  // Not ours: whoever handled SIGBUS before decides, or the default.
  if ((g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_sigaction) {
    g_previous.sa_sigaction(signal, info, context);
  } else if (!(g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_handler != SIG_DFL &&
             g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(signal);
  } else {
    ::sigaction(SIGBUS, &g_previous, nullptr);  // the fault happens again, handled as it would have been
  }
}

void install_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_page_size = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGBUS, &action, &g_previous);
  });
}

}  // namespace

MappingFaultGuard::MappingFaultGuard(const void* begin, size_t bytes, OnFault on_fault, std::string_view exit_line) {
  install_handler();
  const auto from = reinterpret_cast<uintptr_t>(begin);
  // Faults come only on whole pages past the file's end.
  const uintptr_t to = (from + bytes + g_page_size - 1) & ~(g_page_size - 1);
  for (int i = 0; i < kSlots; ++i) {
    Slot& slot = slots()[i];
    uintptr_t free_slot = 0;
    if (!slot.begin.compare_exchange_strong(free_slot, from)) continue;
    // The handler reads a slot only once its end is set, so fill it first.
    slot.on_fault = on_fault;
    slot.faulted.store(false);
    slot.exit_line_length = std::min(exit_line.size(), sizeof slot.exit_line - 1);
    if (slot.exit_line_length) std::memcpy(slot.exit_line, exit_line.data(), slot.exit_line_length);
    slot.exit_line[slot.exit_line_length++] = '\n';
    slot.end.store(to);
    slot_ = &slot;
    return;
  }
}

MappingFaultGuard::~MappingFaultGuard() {
  if (!slot_) return;
  slot_->end.store(0);
  slot_->begin.store(0);
}

bool MappingFaultGuard::faulted() const { return slot_ && slot_->faulted.load(); }

}  // namespace heapwise
