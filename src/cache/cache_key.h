// The key of a snapshot's cache entry: where the file is, its size and
// modification time, a checksum of its first and last 64 KiB (a file
// rewritten in place with the same size and time is still told apart when
// its header or its strings changed), and the heapwise build analysing it.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>

#include "cache/cache_file.h"
#include "util/result.h"

namespace heapwise::cache {

// The key of the file at `path` now; an error when it cannot be read.
Result<CacheKey> cache_key_of(const std::string& path);

// A file's modification time in nanoseconds since the epoch.
int64_t mtime_ns(const struct stat& st);

// The entry's file name in the cache directory (one entry per snapshot path).
std::string entry_file_name(const CacheKey& key);

}  // namespace heapwise::cache
