// Reading a file that a snapshot names (a script, its source map): only a
// regular file, and only up to a bound, so a snapshot naming a device, a
// FIFO or a huge file cannot stall or bloat a report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace heapwise {

// The whole file, or none when it is missing, not a regular file, larger
// than `max_bytes` or unreadable.
std::optional<std::string> read_small_file(const std::string& path, uintmax_t max_bytes);

}  // namespace heapwise
