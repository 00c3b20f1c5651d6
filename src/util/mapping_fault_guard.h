// A mapped file that another program cuts short faults (SIGBUS) on every
// read past its new end. A MappingFaultGuard watches one mapping while it
// lives; one SIGBUS handler serves every guard, and what a fault does is the
// guard's choice:
// - reading a snapshot, zero pages replace the vanished ones and faulted()
//   turns true: zeros are not JSON, so the parser stops soon and the loader
//   reports that the file shrank;
// - reading a cache entry, going on is not an option (the values are gone,
//   and zeros in their place would change answers): the guard's one line
//   goes to stderr and the process exits with code 3.
// A fault outside every guarded mapping is not ours: it is handled as it
// would have been without heapwise.
#pragma once

#include <cstddef>
#include <string_view>

namespace heapwise {

class MappingFaultGuard {
 public:
  enum class OnFault { kReadZeros, kReportAndExit };

  // `exit_line` is written on a kReportAndExit fault (a newline is added;
  // it is cut at 1 KiB). With every slot taken the mapping is unguarded.
  MappingFaultGuard(const void* begin, size_t bytes, OnFault on_fault, std::string_view exit_line = {});
  ~MappingFaultGuard();
  MappingFaultGuard(const MappingFaultGuard&) = delete;
  MappingFaultGuard& operator=(const MappingFaultGuard&) = delete;

  // True once a read past the file's end was answered with zeros.
  bool faulted() const;

  struct Slot;  // one entry of the handler's fixed table (the .cpp)

 private:
  Slot* slot_ = nullptr;
};

}  // namespace heapwise
