// How many CPUs this process may run on: its affinity mask (what `taskset`
// or a container's cpuset allows), not the machine's count.
#pragma once

#include <cstddef>

namespace heapwise {

size_t usable_cpus();

}  // namespace heapwise
