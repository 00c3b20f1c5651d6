// InputSource: the bytes of a .heapsnapshot, plain (mmap'd whole) or gzip
// (inflated into a sliding window). The parser sees one contiguous window
// [data(), data()+size()) that starts at file offset offset().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "util/result.h"

namespace heapwise {

class InputSource {
 public:
  static Result<std::unique_ptr<InputSource>> open(const std::string& path);
  virtual ~InputSource() = default;

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  uint64_t offset() const { return offset_; }
  bool at_eof() const { return eof_; }
  // True when the window is the whole input (plain files): the parser may
  // then split big arrays between threads.
  virtual bool whole() const = 0;
  // Size of the file on disk, and an upper bound of the decoded size.
  uint64_t file_size() const { return file_size_; }
  virtual uint64_t max_decoded_size() const = 0;
  virtual bool compressed() const = 0;

  // Drops the first `consumed` bytes of the window and reads more. Returns an
  // error for a corrupt stream; at EOF it returns with at_eof() set.
  virtual Result<bool> advance(size_t consumed) = 0;
  // Hint that [data()+from, data()+upto) will not be read again (frees RSS).
  virtual void release(size_t from, size_t upto) {
    (void)from;
    (void)upto;
  }
  // An error when the file shrank while it was read (another process
  // rewrote it): the bytes read past its new end were zeros, not the file.
  virtual std::optional<Error> shrank() const { return std::nullopt; }

 protected:
  const char* data_ = nullptr;
  size_t size_ = 0;
  uint64_t offset_ = 0;
  uint64_t file_size_ = 0;
  bool eof_ = false;
};

}  // namespace heapwise
