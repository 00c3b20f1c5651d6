// One entry of the binary cache on disk: a fixed header (magic, format
// version, the key of the snapshot it describes, payload length and
// checksum), then the payload, a sequence of plain values and arrays written
// in the machine's byte order (the cache never leaves the machine). The big
// arrays start on 64-byte boundaries of the file, so that the reader can map
// the entry and use them where they lie instead of copying them.
//
// The reader trusts nothing it has not checked: the file's length against the
// header, every array's length against the bytes left (so a flipped length
// cannot ask for more memory than the file holds), and at the end the
// checksum of everything read. docs/cache.md describes the format.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/big_array.h"

namespace heapwise::cache {

// What an entry was made from: the snapshot file as it was, and the heapwise
// build that analysed it (another build may analyse differently).
struct CacheKey {
  std::string path;  // the snapshot's canonical path
  uint64_t file_size = 0;
  int64_t file_mtime_ns = 0;
  uint64_t content_hash = 0;  // checksum of the file's first and last 64 KiB
  uint64_t program_size = 0;
  int64_t program_mtime_ns = 0;
  bool operator==(const CacheKey&) const = default;
};

// Why an entry cannot be used (read errors included); the cache reports it
// in one line and analyses the file again.
struct CorruptEntry : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class EntryWriter {
 public:
  // Creates `temp_path` exclusively; throws std::system_error.
  EntryWriter(const std::string& temp_path, const CacheKey& key);
  ~EntryWriter();  // removes the temporary file unless committed
  EntryWriter(const EntryWriter&) = delete;
  EntryWriter& operator=(const EntryWriter&) = delete;

  void put_u64(uint64_t v) { put_bytes(&v, sizeof v); }
  void put_bytes(const void* data, size_t n);
  template <typename T>
  void put_array(const T* data, size_t count) {
    put_u64(count);
    put_bytes(data, count * sizeof(T));
  }
  // A big array: its length, zeros up to the next 64-byte boundary of the file, its values.
  template <typename T>
  void put_array(const BigArray<T>& a) {
    put_u64(a.size());
    pad_to_boundary();
    put_bytes(a.data(), a.size() * sizeof(T));
  }
  template <typename T>
  void put_vector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    put_array(v.data(), v.size());
  }
  void put_string(std::string_view s) { put_array(s.data(), s.size()); }

  // Writes the header and renames the file to `final_path` (atomic: a reader
  // sees the old entry or the new one, never half of one).
  void commit(const std::string& final_path);
  uint64_t bytes() const { return kHeaderBytes + payload_bytes_; }

  static constexpr size_t kHeaderBytes = 96;
  static constexpr size_t kArrayAlignment = 64;

 private:
  void flush();
  void pad_to_boundary();
  int fd_ = -1;
  std::string temp_path_;
  CacheKey key_;
  std::vector<char> buffer_;
  uint64_t payload_bytes_ = 0, checksum_ = 0;
  bool committed_ = false;
};

class EntryReader {
 public:
  // Maps an entry and checks its header and length; throws CorruptEntry, or
  // std::system_error when the file cannot be opened (errno ENOENT: no entry).
  explicit EntryReader(const std::string& path);
  EntryReader(const EntryReader&) = delete;
  EntryReader& operator=(const EntryReader&) = delete;

  // The key as stored (its path is the payload's first string).
  const CacheKey& key() const { return key_; }

  uint64_t get_u64() {
    uint64_t v;
    get_bytes(&v, sizeof v);
    return v;
  }
  void get_bytes(void* out, size_t n);
  // An array's length, checked against the bytes left for `element_bytes` each.
  size_t get_count(size_t element_bytes);
  // A big array (EntryWriter::put_array of a BigArray), borrowed where it lies
  // in the mapped entry: whoever keeps it must keep backing() too.
  template <typename T>
  void get_array(BigArray<T>& out) {
    const size_t n = get_count(sizeof(T));
    out = BigArray<T>::borrow(static_cast<T*>(take_aligned(n * sizeof(T))), n);
  }
  template <typename T>
  void get_vector(std::vector<T>& out) {
    static_assert(std::is_trivially_copyable_v<T>);
    const size_t n = get_count(sizeof(T));
    out.resize(n);
    get_bytes(out.data(), n * sizeof(T));
  }
  std::string get_string() {
    std::string s(get_count(1), '\0');
    get_bytes(s.data(), s.size());
    return s;
  }
  // Checks that the payload was read to its end and that its checksum is the
  // one written; throws CorruptEntry.
  void finish();
  // The mapping the borrowed arrays lie in; it lasts while someone holds it.
  std::shared_ptr<const void> backing() const { return mapping_; }

 private:
  // The next n bytes, where they lie: checked against the payload's end,
  // added to the checksum, consumed.
  char* take(size_t n);
  // Skips the padding before a big array and returns where its n bytes lie.
  void* take_aligned(size_t n);
  std::shared_ptr<const void> mapping_;
  char* payload_ = nullptr;
  CacheKey key_;
  uint64_t payload_bytes_ = 0, expected_checksum_ = 0, checksum_ = 0, consumed_ = 0;
};

}  // namespace heapwise::cache
