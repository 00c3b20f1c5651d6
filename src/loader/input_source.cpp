// Plain files are mmap'd; gzip files are inflated beside the parser (gzip_source.cpp).
#include "loader/input_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

#include "loader/gzip_source.h"
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
    auto src = open_gzip_source(fd, size);
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
