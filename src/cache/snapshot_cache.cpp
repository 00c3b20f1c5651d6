// The snapshot cache (see snapshot_cache.h).
#include "cache/snapshot_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include "cache/cache_key.h"
#include "cache/snapshot_codec.h"

namespace heapwise::cache {

namespace fs = std::filesystem;

namespace {

constexpr const char* kEntrySuffix = ".hwcache";
constexpr const char* kTempMarker = ".hwcache.tmp.";
// A temporary file this old belongs to a process that died writing it.
constexpr auto kAbandonedAfter = std::chrono::hours(1);

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool is_entry(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > std::strlen(kEntrySuffix) && name.ends_with(kEntrySuffix);
}
bool is_temporary(const fs::path& p) { return p.filename().string().find(kTempMarker) != std::string::npos; }

std::string why_stale(const CacheKey& stored, const CacheKey& now) {
  if (stored.program_size != now.program_size || stored.program_mtime_ns != now.program_mtime_ns)
    return "its cache entry was written by another build of heapwise";
  return "it changed since its cache entry was written";
}

std::unique_ptr<Snapshot> read_entry(const std::string& entry, const CacheKey& key, const std::string& path,
                                     std::vector<std::string>& notes) {
  const auto start = std::chrono::steady_clock::now();
  try {
    EntryReader reader(entry);
    if (reader.key().path != key.path) return nullptr;  // another file with the same name hash
    if (!(reader.key() == key)) {
      notes.push_back(path + ": " + why_stale(reader.key(), key) + "; analysing it again");
      return nullptr;
    }
    auto snapshot = decode_snapshot(reader);
    // Reading marks the entry used: eviction removes the least recently used.
    ::utimensat(AT_FDCWD, entry.c_str(), nullptr, 0);
    snapshot->record("cache read", seconds_since(start));
    return snapshot;
  } catch (const std::system_error& e) {
    const int error = e.code().value();
    if (error != ENOENT && error != ENOTDIR) notes.push_back("cannot read the cache entry " + entry + ": " + e.what());
  } catch (const CorruptEntry& e) {
    notes.push_back("the cache entry of " + path + " (" + entry + ") is unusable: " + e.what() +
                    "; analysing the file again");
  } catch (const std::bad_alloc&) {
    notes.push_back("the cache entry of " + path + " (" + entry + ") is too big to read; analysing the file again");
  }
  return nullptr;
}

void write_entry(const Snapshot& snapshot, const std::string& dir, const std::string& entry, const CacheKey& key,
                 uint64_t limit_bytes) {
  std::error_code ec;
  if (fs::create_directories(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) throw std::system_error(ec, dir);
  std::random_device random;
  const std::string temp = entry.substr(0, entry.size() - std::strlen(kEntrySuffix)) + kTempMarker +
                           std::to_string(::getpid()) + "." + std::to_string(random());
  try {
    EntryWriter writer(temp, key);
    encode_snapshot(snapshot, writer);
    if (writer.bytes() > limit_bytes) return;  // bigger than the whole cache: the writer removes it
    writer.commit(entry);
  } catch (const std::system_error& e) {
    throw std::system_error(e.code(), dir);  // the directory is what the user can act on
  }
}

// The entries in `dir`, most recently used first, without opening them
// (their snapshot paths are left empty).
std::vector<EntryInfo> entries_by_use(const std::string& dir) {
  std::vector<EntryInfo> entries;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    if (!is_entry(item.path())) continue;
    struct stat st {};
    if (::stat(item.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    entries.push_back({item.path().string(), "", static_cast<uint64_t>(st.st_size), mtime_ns(st)});
  }
  std::sort(entries.begin(), entries.end(), [](const EntryInfo& a, const EntryInfo& b) {
    return a.last_used_ns != b.last_used_ns ? a.last_used_ns > b.last_used_ns : a.file < b.file;
  });
  return entries;
}

}  // namespace

std::string default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::string(xdg) + "/heapwise";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/heapwise";
  return "";
}

Result<OpenedSnapshot> open_through_cache(const std::string& path, const CacheSettings& settings, bool progress,
                                          std::vector<std::string>& notes) {
  auto analyse = [&]() -> Result<OpenedSnapshot> {
    auto snapshot = Snapshot::open(path, progress);
    if (!snapshot.ok()) return snapshot.error();
    return OpenedSnapshot{std::move(snapshot.value()), std::nullopt};
  };
  if (settings.dir.empty()) return analyse();
  auto key = cache_key_of(path);
  if (!key.ok()) return analyse();  // the loader says what is wrong with the file
  const std::string entry = settings.dir + "/" + entry_file_name(key.value());
  if (auto cached = read_entry(entry, key.value(), path, notes)) return OpenedSnapshot{std::move(cached), std::nullopt};

  auto opened = analyse();
  if (opened.ok()) opened.value().pending = PendingEntry{path, settings.dir, entry, key.value(), settings.limit_bytes};
  return opened;
}

double write_entry_later(const Snapshot& snapshot, const PendingEntry& pending, std::vector<std::string>& notes) {
  // A file rewritten since it was read: its entry would pair the old key with new content.
  auto key_now = cache_key_of(pending.path);
  if (!key_now.ok() || !(key_now.value() == pending.key)) return 0;
  const auto start = std::chrono::steady_clock::now();
  try {
    write_entry(snapshot, pending.dir, pending.entry, pending.key, pending.limit_bytes);
    evict_entries(pending.dir, pending.limit_bytes, pending.entry);
  } catch (const std::system_error& e) {
    notes.push_back("not caching the analysis of " + pending.path + ": " + e.what());
  } catch (const std::bad_alloc&) {
    notes.push_back("not caching the analysis of " + pending.path + ": out of memory");
  }
  return seconds_since(start);
}

std::vector<EntryInfo> list_entries(const std::string& dir) {
  std::vector<EntryInfo> entries = entries_by_use(dir);
  for (EntryInfo& info : entries) {
    try {
      info.snapshot_path = EntryReader(info.file).key().path;
    } catch (const std::exception&) {
      // listed with an empty snapshot path: the next command on it rebuilds it
    }
  }
  return entries;
}

Removed clear_entries(const std::string& dir) {
  Removed removed;
  std::error_code ec;
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    if (!is_entry(item.path()) && !is_temporary(item.path())) continue;
    std::error_code size_error;
    const uint64_t bytes = fs::file_size(item.path(), size_error);
    if (fs::remove(item.path(), size_error)) {
      removed.entries += is_entry(item.path());
      removed.bytes += bytes;
    }
  }
  return removed;
}

void evict_entries(const std::string& dir, uint64_t limit_bytes, const std::string& keep) {
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& item : fs::directory_iterator(dir, ec)) {
    std::error_code e;
    if (is_temporary(item.path()) && now - fs::last_write_time(item.path(), e) > kAbandonedAfter)
      fs::remove(item.path(), e);
  }
  std::vector<EntryInfo> entries = entries_by_use(dir);
  uint64_t total = 0;
  for (const EntryInfo& e : entries) total += e.bytes;
  // Most recently used first: drop from the back.
  for (auto it = entries.rbegin(); it != entries.rend() && total > limit_bytes; ++it) {
    if (it->file == keep) continue;
    std::error_code e;
    if (fs::remove(it->file, e)) total -= it->bytes;
  }
}

}  // namespace heapwise::cache
