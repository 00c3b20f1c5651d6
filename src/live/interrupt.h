// SIGINT/SIGTERM while talking to a live process: the handler only sets a
// flag; waits check it, so every path unwinds through its cleanup (partial
// files removed, the inspector closed again if we opened it).
#pragma once

#include <atomic>

namespace heapwise::live {

void install_interrupt_handlers();
bool interrupted();

}  // namespace heapwise::live
