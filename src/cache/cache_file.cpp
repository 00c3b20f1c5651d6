// Cache entry files (see cache_file.h).
#include "cache/cache_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <system_error>

#include "util/checksum.h"
#include "util/mapping_fault_guard.h"

namespace heapwise::cache {

namespace {

// Raise it whenever the payload's layout or any analysis whose result is
// stored changes; older entries are then analysed again.
constexpr uint64_t kFormatVersion = 3;  // 2: big arrays on 64-byte boundaries; 3: all-zero columns dropped
constexpr char kMagic[8] = {'h', 'e', 'a', 'p', 'w', 'i', 's', 'e'};
constexpr uint64_t kByteOrderMark = 0x0102030405060708ull;
constexpr size_t kBufferBytes = 1 << 20;

// The header: twelve 64-bit words, the last a checksum of the others.
enum HeaderWord {
  kWordMagic,
  kWordVersion,
  kWordByteOrder,
  kWordPayloadBytes,
  kWordPayloadChecksum,
  kWordFileSize,
  kWordFileMtime,
  kWordContentHash,
  kWordProgramSize,
  kWordProgramMtime,
  kWordReserved,
  kWordHeaderChecksum,
  kHeaderWords
};
static_assert(kHeaderWords * 8 == EntryWriter::kHeaderBytes);

// Writes go to the kernel 128 KiB at a time: the page cache sizes its
// pages by the write, and a 1 MiB write takes high-order pages, which are
// slow to get on a virtual machine that hands free memory back to its host
// (likely the host backing them anew). Writing a 600 MB file after 8 s
// idle: 1 MiB writes 2.0-3.8 s, 128 KiB writes 0.17 s (`dd bs=…`,
// docs/performance.md).
constexpr size_t kWriteChunk = 128 << 10;

void write_all(int fd, const char* p, size_t n, off_t* at = nullptr) {
  while (n > 0) {
    const size_t chunk = std::min(n, kWriteChunk);
    const ssize_t w = at ? ::pwrite(fd, p, chunk, *at) : ::write(fd, p, chunk);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "write");
    }
    p += w;
    n -= static_cast<size_t>(w);
    if (at) *at += w;
  }
}

// A whole entry mapped copy-on-write: the borrowed arrays may be written
// (their pages are then copied), the file never is.
struct Mapping {
  void* base = MAP_FAILED;
  size_t bytes = 0;
  std::optional<MappingFaultGuard> guard;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  Mapping() = default;
  ~Mapping() {
    guard.reset();  // before the range can be mapped again for something else
    if (base != MAP_FAILED) ::munmap(base, bytes);
  }
};

}  // namespace

EntryWriter::EntryWriter(const std::string& temp_path, const CacheKey& key) : temp_path_(temp_path), key_(key) {
  // 0600: a heap's strings may hold tokens and passwords.
  fd_ = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), temp_path);
  const char zeros[kHeaderBytes] = {};
  try {
    write_all(fd_, zeros, sizeof zeros);  // the header is written last, by commit()
  } catch (...) {
    ::close(fd_);
    ::unlink(temp_path_.c_str());
    throw;
  }
  buffer_.reserve(kBufferBytes);
  put_string(key.path);
}

EntryWriter::~EntryWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void EntryWriter::put_bytes(const void* data, size_t n) {
  checksum_ = checksum_bytes(data, n, checksum_);
  payload_bytes_ += n;
  const char* p = static_cast<const char*>(data);
  if (n >= kBufferBytes) {
    flush();
    write_all(fd_, p, n);
    return;
  }
  if (buffer_.size() + n > kBufferBytes) flush();
  buffer_.insert(buffer_.end(), p, p + n);
}

void EntryWriter::pad_to_boundary() {
  static constexpr char kZeros[kArrayAlignment] = {};
  const size_t past = (kHeaderBytes + payload_bytes_) % kArrayAlignment;
  if (past != 0) put_bytes(kZeros, kArrayAlignment - past);
}

void EntryWriter::flush() {
  write_all(fd_, buffer_.data(), buffer_.size());
  buffer_.clear();
}

void EntryWriter::commit(const std::string& final_path) {
  flush();
  uint64_t header[kHeaderWords] = {};
  std::memcpy(&header[kWordMagic], kMagic, sizeof kMagic);
  header[kWordVersion] = kFormatVersion;
  header[kWordByteOrder] = kByteOrderMark;
  header[kWordPayloadBytes] = payload_bytes_;
  header[kWordPayloadChecksum] = checksum_;
  header[kWordFileSize] = key_.file_size;
  header[kWordFileMtime] = static_cast<uint64_t>(key_.file_mtime_ns);
  header[kWordContentHash] = key_.content_hash;
  header[kWordProgramSize] = key_.program_size;
  header[kWordProgramMtime] = static_cast<uint64_t>(key_.program_mtime_ns);
  header[kWordHeaderChecksum] = checksum_bytes(header, kWordHeaderChecksum * 8, 0);
  off_t at = 0;
  write_all(fd_, reinterpret_cast<const char*>(header), sizeof header, &at);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw std::system_error(errno, std::generic_category(), "close");
  if (::rename(temp_path_.c_str(), final_path.c_str()) != 0)
    throw std::system_error(errno, std::generic_category(), final_path);
  committed_ = true;
}

EntryReader::EntryReader(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), path);
  auto mapping = std::make_shared<Mapping>();
  struct stat st {};
  const bool stat_ok = ::fstat(fd, &st) == 0;
  const int stat_errno = errno;
  const uint64_t file_bytes = stat_ok ? static_cast<uint64_t>(st.st_size) : 0;
  uint64_t header[kHeaderWords] = {};
  if (stat_ok && file_bytes >= sizeof header) {
    // Mapped, not read: the big arrays are used where they lie, and the
    // kernel maps the page cache's pages instead of copying them into fresh
    // memory (re-opening a 1.6 GB heap's entry: 2.6-3.4 s read, docs/performance.md).
    mapping->base = ::mmap(nullptr, file_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    mapping->bytes = file_bytes;
    // Something else cutting the entry short while it is mapped ends the
    // command in one line (heapwise only renames over entries and unlinks
    // them, which leave a mapping whole).
    if (mapping->base != MAP_FAILED)
      mapping->guard.emplace(
          mapping->base, file_bytes, MappingFaultGuard::OnFault::kReportAndExit,
          "heapwise: the cache entry " + path +
              " was cut short while in use; run the command again (the file is then analysed again)");
  }
  const int map_errno = errno;
  ::close(fd);
  if (!stat_ok) throw CorruptEntry(std::string("cannot read it: ") + std::strerror(stat_errno));
  if (file_bytes < sizeof header) throw CorruptEntry("it is truncated (" + std::to_string(file_bytes) + " bytes)");
  if (mapping->base == MAP_FAILED) throw CorruptEntry(std::string("cannot map it: ") + std::strerror(map_errno));
  std::memcpy(header, mapping->base, sizeof header);
  if (std::memcmp(&header[kWordMagic], kMagic, sizeof kMagic) != 0)
    throw CorruptEntry("it is not a heapwise cache entry");
  if (header[kWordHeaderChecksum] != checksum_bytes(header, kWordHeaderChecksum * 8, 0))
    throw CorruptEntry("its header is damaged");
  if (header[kWordVersion] != kFormatVersion || header[kWordByteOrder] != kByteOrderMark)
    throw CorruptEntry("it was written by another version of heapwise");
  payload_bytes_ = header[kWordPayloadBytes];
  if (file_bytes - sizeof header != payload_bytes_)
    throw CorruptEntry("it has " + std::to_string(file_bytes) + " bytes where its header says " +
                       std::to_string(payload_bytes_ + sizeof header) + " (truncated or appended to)");
  expected_checksum_ = header[kWordPayloadChecksum];
  key_.file_size = header[kWordFileSize];
  key_.file_mtime_ns = static_cast<int64_t>(header[kWordFileMtime]);
  key_.content_hash = header[kWordContentHash];
  key_.program_size = header[kWordProgramSize];
  key_.program_mtime_ns = static_cast<int64_t>(header[kWordProgramMtime]);
  payload_ = static_cast<char*>(mapping->base) + sizeof header;
  mapping_ = std::move(mapping);
  key_.path = get_string();
}

char* EntryReader::take(size_t n) {
  if (n > payload_bytes_ - consumed_) throw CorruptEntry("it ends in the middle of a value");
  char* at = payload_ + consumed_;
  checksum_ = checksum_bytes(at, n, checksum_);
  consumed_ += n;
  return at;
}

void EntryReader::get_bytes(void* out, size_t n) {
  const char* at = take(n);
  if (n != 0) std::memcpy(out, at, n);  // an empty vector's data() may be null
}

void* EntryReader::take_aligned(size_t n) {
  const size_t past = (EntryWriter::kHeaderBytes + consumed_) % EntryWriter::kArrayAlignment;
  if (past != 0) take(EntryWriter::kArrayAlignment - past);  // the writer's zeros, checksummed
  return take(n);
}

size_t EntryReader::get_count(size_t element_bytes) {
  const uint64_t count = get_u64();
  if (element_bytes != 0 && count > (payload_bytes_ - consumed_) / element_bytes)
    throw CorruptEntry("an array's length (" + std::to_string(count) + ") is longer than the entry");
  return static_cast<size_t>(count);
}

void EntryReader::finish() {
  if (consumed_ != payload_bytes_)
    throw CorruptEntry(std::to_string(payload_bytes_ - consumed_) + " bytes are left over at its end");
  if (checksum_ != expected_checksum_) throw CorruptEntry("its checksum does not match (the file is damaged)");
}

}  // namespace heapwise::cache
