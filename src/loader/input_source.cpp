// Plain files are mmap'd; gzip files are inflated with zlib into a window.
#include "loader/input_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

#include "util/big_array.h"
#include "util/mapping_fault_guard.h"

namespace heapwise {

namespace {

class MappedSource final : public InputSource {
 public:
  MappedSource(int fd, void* map, size_t len) : fd_(fd), map_(map), len_(len) {
    data_ = static_cast<const char*>(map);
    size_ = len;
    file_size_ = len;
    eof_ = true;
    if (len) madvise(map, len, MADV_SEQUENTIAL);
    // A file another program truncates reads as zeros past its new end;
    // shrank() then says so (mapping_fault_guard.h).
    guard_.emplace(map, len, MappingFaultGuard::OnFault::kReadZeros);
  }
  ~MappedSource() override {
    guard_.reset();  // before the range can be mapped again for something else
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
    if (guard_->faulted())
      return Error{0, "part of the file vanished while it was being read (is another program writing it?)"};
    return std::nullopt;
  }

 private:
  int fd_;  // kept open to see the file's size when the load ends
  void* map_;
  size_t len_;
  std::optional<MappingFaultGuard> guard_;
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
