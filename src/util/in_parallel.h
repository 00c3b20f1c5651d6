// Two pieces of work at once: one on this thread, one on a second, for the
// phases that split an analysis over two cores.
#pragma once

#include <functional>

namespace heapwise {

// Runs `beside` on a new thread while `here` runs on this one, and returns
// once both have ended. An exception from either is rethrown here (`here`'s
// first), after both have ended: no thread outlives the call.
void in_parallel(const std::function<void()>& here, const std::function<void()>& beside);

}  // namespace heapwise
