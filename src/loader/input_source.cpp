// Plain files are mmap'd; gzip files are inflated with zlib into a window.
#include "loader/input_source.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "util/big_array.h"

namespace heapwise {

namespace {

// A mapped file that another process truncates faults (SIGBUS) on every
// read past its new end. While files are mapped, a SIGBUS handler puts zero
// pages in place of the vanished ones and marks the mapping; the reader goes
// on (zeros are not JSON, so it stops soon) and the loader reports that the
// file shrank instead of the process dying. A fault anywhere else is not
// ours: the previous handler is put back and the fault happens again.
struct GuardedMapping {
  std::atomic<uintptr_t> begin{0}, end{0};
  std::atomic<bool> faulted{false};
};
constexpr int kGuardSlots = 64;
GuardedMapping g_guarded[kGuardSlots];
struct sigaction g_previous_sigbus;
uintptr_t g_page_size = 4096;

void on_sigbus(int, siginfo_t* info, void*) {
  const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (auto& m : g_guarded) {
    const uintptr_t begin = m.begin.load(), end = m.end.load();
    if (addr < begin || addr >= end) continue;
    const uintptr_t page = addr & ~(g_page_size - 1);
    // mmap is a system call, safe in a signal handler.
    if (mmap(reinterpret_cast<void*>(page), end - page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
        MAP_FAILED)
      break;
    m.faulted.store(true);
    return;
  }
  sigaction(SIGBUS, &g_previous_sigbus, nullptr);
}

void install_sigbus_guard() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_page_size = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &g_previous_sigbus);
  });
}

class MappedSource final : public InputSource {
 public:
  MappedSource(int fd, void* map, size_t len) : fd_(fd), map_(map), len_(len) {
    data_ = static_cast<const char*>(map);
    size_ = len;
    file_size_ = len;
    eof_ = true;
    if (len) madvise(map, len, MADV_SEQUENTIAL);
    install_sigbus_guard();
    const auto begin = reinterpret_cast<uintptr_t>(map);
    const uintptr_t end = (begin + len + g_page_size - 1) & ~(g_page_size - 1);
    for (auto& m : g_guarded) {
      uintptr_t free_slot = 0;
      if (!m.begin.compare_exchange_strong(free_slot, begin)) continue;
      m.faulted.store(false);
      m.end.store(end);
      guard_ = &m;
      break;
    }
  }
  ~MappedSource() override {
    if (guard_) {
      guard_->end.store(0);
      guard_->begin.store(0);
    }
    if (map_) munmap(map_, len_);
    close(fd_);
  }
  bool whole() const override { return true; }
  bool compressed() const override { return false; }
  uint64_t max_decoded_size() const override { return len_; }
  Result<bool> advance(size_t) override { return true; }
  void release(size_t from, size_t upto) override {
    if (upto > from) release_pages(data_ + from, upto - from);
  }
  std::optional<Error> shrank() const override {
    struct stat st {};
    const bool smaller = fstat(fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) < len_;
    if (smaller)
      return Error{static_cast<uint64_t>(st.st_size),
                   "the file shrank from " + std::to_string(len_) + " to " + std::to_string(st.st_size) +
                       " bytes while it was being read (is another program writing it?)"};
    if (guard_ && guard_->faulted.load())
      return Error{0, "part of the file vanished while it was being read (is another program writing it?)"};
    return std::nullopt;
  }

 private:
  int fd_;  // kept open to see the file's size when the load ends
  void* map_;
  size_t len_;
  GuardedMapping* guard_ = nullptr;  // null when every slot is taken (unguarded)
};

class GzipSource final : public InputSource {
 public:
  // The buffers are mapped, not allocated: a small file touches only the pages it fills.
  explicit GzipSource(int fd, uint64_t file_size) : fd_(fd), in_(kInChunk), buf_(kWindow) {
    file_size_ = file_size;
    std::memset(&zs_, 0, sizeof zs_);
    inflateInit2(&zs_, 15 + 32);  // gzip or zlib header
    data_ = buf_.data();
  }
  ~GzipSource() override {
    inflateEnd(&zs_);
    close(fd_);
  }
  bool whole() const override { return false; }
  bool compressed() const override { return true; }
  // deflate cannot expand data by more than ~1032:1.
  uint64_t max_decoded_size() const override { return file_size_ * 1032 + 1024; }

  Result<bool> advance(size_t consumed) override {
    size_t keep = size_ - consumed;
    std::memmove(buf_.data(), buf_.data() + consumed, keep);
    offset_ += consumed;
    size_ = keep;
    while (!eof_ && size_ < kWindow / 2) {
      if (zs_.avail_in == 0 && !in_eof_) {
        ssize_t n = read(fd_, in_.data(), kInChunk);
        if (n < 0) return Error{offset_ + size_, std::string("read failed: ") + std::strerror(errno)};
        if (n == 0) in_eof_ = true;
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(n);
      }
      if (stream_ended_) {
        // Concatenated gzip members are one stream (gzip(1) reads them so).
        if (zs_.avail_in == 0 && in_eof_) {
          eof_ = true;
          break;
        }
        inflateReset(&zs_);
        stream_ended_ = false;
      }
      zs_.next_out = reinterpret_cast<Bytef*>(buf_.data() + size_);
      zs_.avail_out = static_cast<uInt>(kWindow - size_);
      int rc = inflate(&zs_, Z_NO_FLUSH);
      size_ = kWindow - zs_.avail_out;
      if (rc == Z_STREAM_END) {
        stream_ended_ = true;
      } else if (rc == Z_BUF_ERROR && in_eof_ && zs_.avail_in == 0) {
        return Error{offset_ + size_, "gzip stream is truncated"};
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Error{offset_ + size_,
                     std::string("gzip data is corrupt (") + (zs_.msg ? zs_.msg : "inflate failed") + ")"};
      }
    }
    data_ = buf_.data();
    return true;
  }

 private:
  static constexpr size_t kInChunk = 1 << 20;
  static constexpr size_t kWindow = 8 << 20;
  int fd_;
  z_stream zs_;
  BigArray<char> in_;
  BigArray<char> buf_;
  bool in_eof_ = false;
  bool stream_ended_ = false;
};

}  // namespace

Result<std::unique_ptr<InputSource>> InputSource::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{0, std::string("cannot open: ") + std::strerror(errno)};
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int err = errno;
    close(fd);
    if (S_ISDIR(st.st_mode)) return Error{0, "is a directory, not a heap snapshot file"};
    return Error{0, std::string("not a regular file") + (err ? std::string(": ") + std::strerror(err) : "")};
  }
  auto size = static_cast<uint64_t>(st.st_size);
  if (size == 0) {
    close(fd);
    return Error{0, "file is empty"};
  }
  unsigned char magic[2] = {0, 0};
  if (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    auto src = std::make_unique<GzipSource>(fd, size);
    auto r = src->advance(0);
    if (!r.ok()) return r.error();
    if (src->size() == 0) return Error{0, "gzip stream holds no data"};
    return std::unique_ptr<InputSource>(std::move(src));
  }
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) {
    const int err = errno;
    close(fd);
    return Error{0, std::string("cannot map file: ") + std::strerror(err)};
  }
  return std::unique_ptr<InputSource>(std::make_unique<MappedSource>(fd, map, size));
}

}  // namespace heapwise
