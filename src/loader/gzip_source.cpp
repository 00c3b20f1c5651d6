// Inflating a gzip snapshot beside the parser (see gzip_source.h).
//
// Inflating and parsing once took turns on one thread: on the 511.4 MB
// service heap gzipped at level 6, the parse took 1.51-1.71 s against
// 0.62 s for the plain file (docs/performance.md). Now a thread inflates
// into blocks up to kAhead blocks ahead, and the parser's window is filled
// from them, so the two overlap on two cores. A stream error is reported
// where one thread would have met it: at the decoded offset where inflating
// failed, once the parser asks for bytes past it.
#include "loader/gzip_source.h"

#include <unistd.h>
#include <zlib.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/big_array.h"

namespace heapwise {

namespace {

class GzipSource final : public InputSource {
 public:
  // The buffers are mapped, not allocated: a small file touches only the pages it fills.
  GzipSource(int fd, uint64_t file_size) : fd_(fd), buf_(kWindow) {
    file_size_ = file_size;
    data_ = buf_.data();
    inflater_ = std::thread([this] { inflate_all(); });
  }
  ~GzipSource() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    inflater_.join();
    close(fd_);
  }
  bool whole() const override { return false; }
  bool compressed() const override { return true; }
  // deflate cannot expand data by more than ~1032:1.
  uint64_t max_decoded_size() const override { return file_size_ * 1032 + 1024; }

  Result<bool> advance(size_t consumed) override {
    const size_t keep = size_ - consumed;
    std::memmove(buf_.data(), buf_.data() + consumed, keep);
    offset_ += consumed;
    size_ = keep;
    while (!eof_ && size_ < kWindow / 2) {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return !ready_.empty() || finished_; });
      if (ready_.empty()) {
        if (error_) return *error_;
        eof_ = true;
        break;
      }
      Block block = std::move(ready_.front());
      ready_.pop_front();
      lock.unlock();
      changed_.notify_all();
      // It fits: size_ < kWindow/2 and a block holds at most kWindow/2.
      std::memcpy(buf_.data() + size_, block.bytes.data(), block.size);
      size_ += block.size;
      lock.lock();
      spare_.push_back(std::move(block.bytes));
    }
    data_ = buf_.data();
    return true;
  }

 private:
  static constexpr size_t kInChunk = 1 << 20;
  static constexpr size_t kBlock = 2 << 20;
  static constexpr size_t kAhead = 4;
  static constexpr size_t kWindow = 8 << 20;

  struct Block {
    BigArray<char> bytes;
    size_t size = 0;
  };

  // The inflating thread: blocks until the stream ends, fails or the source is destroyed.
  void inflate_all() {
    z_stream zs;
    std::memset(&zs, 0, sizeof zs);
    inflateInit2(&zs, 15 + 32);  // gzip or zlib header
    std::optional<Error> error;
    try {
      error = inflate_blocks(zs);
    } catch (const std::bad_alloc&) {
      error = Error{decoded_, "out of memory while inflating"};
    }
    inflateEnd(&zs);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::move(error);
      finished_ = true;
    }
    changed_.notify_all();
  }

  // Inflates into blocks handed to the parser; returns the stream's error, if any.
  std::optional<Error> inflate_blocks(z_stream& zs) {
    BigArray<char> in(kInChunk);
    bool in_eof = false, stream_ended = false;
    for (;;) {
      Block block;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return ready_.size() < kAhead || stopping_; });
        if (stopping_) return std::nullopt;
        if (!spare_.empty()) {
          block.bytes = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      if (block.bytes.size() == 0) block.bytes = BigArray<char>(kBlock);
      std::optional<Error> error;
      bool ended = false;
      while (block.size < kBlock) {
        if (zs.avail_in == 0 && !in_eof) {
          const ssize_t n = read(fd_, in.data(), kInChunk);
          if (n < 0) {
            error = Error{decoded_ + block.size, std::string("read failed: ") + std::strerror(errno)};
            break;
          }
          if (n == 0) in_eof = true;
          zs.next_in = reinterpret_cast<Bytef*>(in.data());
          zs.avail_in = static_cast<uInt>(n);
        }
        if (stream_ended) {
          // Concatenated gzip members are one stream (gzip(1) reads them so).
          if (zs.avail_in == 0 && in_eof) {
            ended = true;
            break;
          }
          inflateReset(&zs);
          stream_ended = false;
        }
        zs.next_out = reinterpret_cast<Bytef*>(block.bytes.data() + block.size);
        zs.avail_out = static_cast<uInt>(kBlock - block.size);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        block.size = kBlock - zs.avail_out;
        if (rc == Z_STREAM_END) {
          stream_ended = true;
        } else if (rc == Z_BUF_ERROR && in_eof && zs.avail_in == 0) {
          error = Error{decoded_ + block.size, "gzip stream is truncated"};
          break;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
          error = Error{decoded_ + block.size,
                        std::string("gzip data is corrupt (") + (zs.msg ? zs.msg : "inflate failed") + ")"};
          break;
        }
      }
      decoded_ += block.size;
      if (block.size > 0) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          ready_.push_back(std::move(block));
        }
        changed_.notify_all();
      }
      if (error || ended) return error;
    }
  }

  int fd_;
  BigArray<char> buf_;  // the parser's window
  std::thread inflater_;
  uint64_t decoded_ = 0;  // bytes inflated so far (the inflating thread's)

  std::mutex mutex_;  // guards the members below
  std::condition_variable changed_;
  std::deque<Block> ready_;            // inflated, in order, not yet in the window
  std::vector<BigArray<char>> spare_;  // emptied blocks, for reuse
  bool finished_ = false;              // the stream ended or failed
  std::optional<Error> error_;
  bool stopping_ = false;
};

}  // namespace

std::unique_ptr<InputSource> open_gzip_source(int fd, uint64_t file_size) {
  return std::make_unique<GzipSource>(fd, file_size);
}

}  // namespace heapwise
