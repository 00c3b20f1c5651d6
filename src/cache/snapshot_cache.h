// The binary cache of analysed snapshots (docs/cache.md): the first command
// on a file writes its graph and every analysis to one entry in the cache
// directory; later commands on the unchanged file read that entry instead of
// parsing and analysing again (a 512.8 MB snapshot: 0.5-0.75 s instead of
// 2.2-2.6 s on an idle 2-core machine, docs/performance.md). An entry is used
// only when its header, its key (the file's path, size, time and head/tail
// checksum, and this heapwise build), its lengths and its checksum all match;
// anything else is reported in one line and the file is analysed again, so a
// bad entry never changes an answer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/snapshot.h"
#include "cache/cache_file.h"
#include "util/result.h"

namespace heapwise::cache {

constexpr uint64_t kDefaultLimitBytes = 4ull << 30;

struct CacheSettings {
  std::string dir;  // empty: no cache
  uint64_t limit_bytes = kDefaultLimitBytes;
};

// $XDG_CACHE_HOME/heapwise, else $HOME/.cache/heapwise; empty when neither is set.
std::string default_cache_dir();

// An analysis to store once the command has answered (write_entry_later).
struct PendingEntry {
  std::string path;   // the snapshot, as the user named it
  std::string dir;    // the cache directory
  std::string entry;  // the entry's file
  CacheKey key;       // the snapshot's key before it was read
  uint64_t limit_bytes = kDefaultLimitBytes;
};

struct OpenedSnapshot {
  std::unique_ptr<Snapshot> snapshot;
  std::optional<PendingEntry> pending;  // set when it was analysed and belongs in the cache
};

// Loads and analyses `path`, through the cache when settings.dir is set: an
// entry is read when it is good; otherwise the file is analysed and the
// entry to write is returned as `pending`, for the caller to write with
// write_entry_later after answering (writing 0.5 GB takes seconds).
// `notes` receives a line for each thing the user should know: an entry that
// was stale or damaged (and is rebuilt).
Result<OpenedSnapshot> open_through_cache(const std::string& path, const CacheSettings& settings, bool progress,
                                          std::vector<std::string>& notes);

// Writes the entry of an analysed snapshot, unless the file changed since it
// was read, and keeps the cache directory within its limit; a cache that
// cannot be written is a line in `notes`. Returns the seconds it took.
double write_entry_later(const Snapshot& snapshot, const PendingEntry& pending, std::vector<std::string>& notes);

struct EntryInfo {
  std::string file;           // the entry's path
  std::string snapshot_path;  // the snapshot it describes ("" when unreadable)
  uint64_t bytes = 0;
  int64_t last_used_ns = 0;  // since the epoch (reading an entry marks it used)
};
// The entries in `dir`, most recently used first.
std::vector<EntryInfo> list_entries(const std::string& dir);

struct Removed {
  size_t entries = 0;
  uint64_t bytes = 0;
};
// Removes every entry and leftover temporary file.
Removed clear_entries(const std::string& dir);
// Removes the least recently used entries until `dir` holds at most
// `limit_bytes` (never `keep`), and temporary files a killed process left.
void evict_entries(const std::string& dir, uint64_t limit_bytes, const std::string& keep);

}  // namespace heapwise::cache
