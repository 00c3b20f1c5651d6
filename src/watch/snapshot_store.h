// The directory where `watch` keeps the snapshots it captures (hunts and
// POST /memory/snapshot): names it makes itself, pruning to a count and a
// disk budget, and lookups by name for downloads. A name coming from a
// request is only ever compared with the directory's listing, never joined
// to a path, so no request can reach a file outside the directory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace heapwise::watch {

struct StoredSnapshot {
  std::string name, path;
  uint64_t bytes = 0;
};

class SnapshotStore {
 public:
  SnapshotStore(std::string dir, uint64_t max_snapshots, uint64_t disk_budget)
      : dir_(std::move(dir)), max_snapshots_(max_snapshots), disk_budget_(disk_budget) {}

  const std::string& dir() const { return dir_; }
  uint64_t disk_budget() const { return disk_budget_; }
  // Creates the directory (mode 0700) when missing. Returns why it cannot
  // be used, or "" when it can: it must be a real directory (not a
  // symbolic link) owned by this user and writable by no one else, since
  // anyone who can write in it can plant links where captures will go.
  std::string prepare_dir() const;
  // A fresh path "DIR/PREFIX-YYYYmmdd-HHMMSS[-K].heapsnapshot" (K for a hunt's parts).
  std::string new_path(const std::string& prefix, const std::string& stamp, int part = 0) const;
  static std::string stamp_now();
  // Our snapshots (hunt-* and snapshot-*: regular files, never symbolic
  // links), newest first.
  std::vector<StoredSnapshot> list() const;
  // Deletes the oldest past --max-snapshots or --disk-budget, never those in `keep` (paths).
  void prune(const std::vector<std::string>& keep) const;
  // The snapshot called exactly `name`, if the directory lists one.
  std::optional<StoredSnapshot> find(const std::string& name) const;
  // Opens a listed snapshot for reading, relative to the directory and
  // never through a link (O_NOFOLLOW; a regular file checked on the open
  // descriptor), so a swap after the listing serves nothing else. -1 if not.
  int open_for_reading(const StoredSnapshot& snapshot) const;

 private:
  std::string dir_;
  uint64_t max_snapshots_, disk_budget_;
};

}  // namespace heapwise::watch
