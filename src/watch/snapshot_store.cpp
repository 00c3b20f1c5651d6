// The watch's snapshot directory (see snapshot_store.h).
#include "watch/snapshot_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

namespace heapwise::watch {

namespace fs = std::filesystem;

namespace {

bool ours(const fs::path& p) {
  const std::string name = p.filename().string();
  return p.extension() == ".heapsnapshot" && (name.rfind("hunt-", 0) == 0 || name.rfind("snapshot-", 0) == 0);
}

}  // namespace

std::string SnapshotStore::prepare_dir() const {
  if (mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) {
    // A missing parent: create the parents, then the directory itself with our mode.
    std::error_code ec;
    fs::create_directories(fs::path(dir_).parent_path(), ec);
    if (mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST)
      return "cannot create the snapshot directory " + dir_ + ": " + std::strerror(errno);
  }
  struct stat st {};
  if (lstat(dir_.c_str(), &st) != 0) return "cannot read the snapshot directory " + dir_ + ": " + std::strerror(errno);
  if (S_ISLNK(st.st_mode)) return "the snapshot directory " + dir_ + " is a symbolic link; give a real directory";
  if (!S_ISDIR(st.st_mode)) return dir_ + " is not a directory";
  if (st.st_uid != geteuid())
    return "the snapshot directory " + dir_ + " belongs to another user (uid " + std::to_string(st.st_uid) +
           "); give a directory of your own";
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return "the snapshot directory " + dir_ + " is writable by others (mode " + std::to_string((st.st_mode >> 6) & 7) +
           std::to_string((st.st_mode >> 3) & 7) + std::to_string(st.st_mode & 7) +
           "), so anyone could plant links in it; use chmod go-w or another directory";
  return "";
}

std::string SnapshotStore::stamp_now() {
  char buf[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::localtime(&now));
  return buf;
}

std::string SnapshotStore::new_path(const std::string& prefix, const std::string& stamp, int part) const {
  std::string base = prefix + "-" + stamp + (part ? "-" + std::to_string(part) : "");
  std::error_code ec;
  fs::path p = fs::path(dir_) / (base + ".heapsnapshot");
  for (int k = 2; fs::exists(p, ec); ++k) p = fs::path(dir_) / (base + "." + std::to_string(k) + ".heapsnapshot");
  return p.string();
}

std::vector<StoredSnapshot> SnapshotStore::list() const {
  std::vector<std::pair<fs::file_time_type, StoredSnapshot>> found;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code e2;
    // symlink_status: a link named like a snapshot is not one of ours.
    if (!fs::is_regular_file(it->symlink_status(e2)) || !ours(it->path())) continue;
    found.push_back({it->last_write_time(e2),
                     {it->path().filename().string(), it->path().string(), static_cast<uint64_t>(it->file_size(e2))}});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second.name > b.second.name;
  });
  std::vector<StoredSnapshot> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

void SnapshotStore::prune(const std::vector<std::string>& keep) const {
  const auto all = list();
  const auto kept = [&](const StoredSnapshot& s) { return std::find(keep.begin(), keep.end(), s.path) != keep.end(); };
  // What must stay counts first; the rest stays newest first while it fits.
  uint64_t count = 0, used = 0;
  for (const auto& s : all)
    if (kept(s)) ++count, used += s.bytes;
  for (const auto& s : all) {
    if (kept(s)) continue;
    if (count + 1 > max_snapshots_ || used + s.bytes > disk_budget_) {
      std::error_code ec;
      fs::remove(s.path, ec);
      continue;
    }
    ++count;
    used += s.bytes;
  }
}

std::optional<StoredSnapshot> SnapshotStore::find(const std::string& name) const {
  for (auto& s : list())
    if (s.name == name) return s;
  return std::nullopt;
}

int SnapshotStore::open_for_reading(const StoredSnapshot& snapshot) const {
  const int dir = open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0) return -1;
  const int fd = openat(dir, snapshot.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  close(dir);
  struct stat st {};
  if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace heapwise::watch
