// Cache keys (see cache_key.h).
#include "cache/cache_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "util/checksum.h"

namespace heapwise::cache {

namespace {

constexpr size_t kSampleBytes = 64 * 1024;

}  // namespace

int64_t mtime_ns(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + static_cast<int64_t>(st.st_mtim.tv_nsec);
}

Result<CacheKey> cache_key_of(const std::string& path) {
  CacheKey key;
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) return Error{0, std::strerror(errno)};
  key.path = resolved;
  const int fd = ::open(resolved, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{0, std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{0, "not a regular file"};
  }
  key.file_size = static_cast<uint64_t>(st.st_size);
  key.file_mtime_ns = mtime_ns(st);
  std::vector<char> sample(2 * kSampleBytes);
  const ssize_t head = ::pread(fd, sample.data(), kSampleBytes, 0);
  const off_t tail_at = key.file_size > kSampleBytes ? static_cast<off_t>(key.file_size - kSampleBytes) : 0;
  const ssize_t tail = ::pread(fd, sample.data() + kSampleBytes, kSampleBytes, tail_at);
  ::close(fd);
  if (head < 0 || tail < 0) return Error{0, std::strerror(errno)};
  key.content_hash = checksum_bytes(sample.data(), static_cast<size_t>(head), 0);
  key.content_hash = checksum_bytes(sample.data() + kSampleBytes, static_cast<size_t>(tail), key.content_hash);
  // The running program: a rebuilt or upgraded heapwise has another size or time.
  struct stat program {};
  if (::stat("/proc/self/exe", &program) == 0) {
    key.program_size = static_cast<uint64_t>(program.st_size);
    key.program_mtime_ns = mtime_ns(program);
  }
  return key;
}

std::string entry_file_name(const CacheKey& key) {
  char name[40];
  std::snprintf(name, sizeof name, "%016" PRIx64 ".hwcache", checksum_bytes(key.path.data(), key.path.size(), 0));
  return name;
}

}  // namespace heapwise::cache
