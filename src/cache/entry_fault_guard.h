// A mapped cache entry that something cuts short while a command uses it
// faults (SIGBUS) on a read past its new end. heapwise itself never does
// that (it renames over entries and unlinks them, which leave a mapping
// whole), but if something else does, the command ends with one line naming
// the entry and exit code 3 instead of a crash. Going on is not an option:
// the values are gone, and zeros in their place would change answers.
#pragma once

#include <cstddef>
#include <string>

namespace heapwise::cache {

// Watches [begin, begin + bytes) until the returned slot is given back;
// returns -1 when every slot is taken (the mapping is then unguarded).
int guard_entry_mapping(const void* begin, size_t bytes, const std::string& path);
void unguard_entry_mapping(int slot);

}  // namespace heapwise::cache
