// JsonCursor: the parser's read position in an InputSource's window, and
// the JSON tokens every phase of the loader needs: whitespace, expected
// characters, strings (with every escape), keys, skipped values. Errors are
// ParseFailure with the byte offset in the (uncompressed) input.
#pragma once

#include <cstdint>
#include <string>

#include "loader/input_source.h"
#include "loader/json_text.h"
#include "util/progress.h"

namespace heapwise {

// Thrown by the structural (cold) code of the loader and caught in
// load_snapshot(); the scanning loops report through return values.
struct ParseFailure {
  uint64_t offset;
  std::string message;
};

// Where a top-level section of the file is.
struct Section {
  uint64_t begin = 0, end = 0;  // byte offsets of '[' and after ']'
  bool seen = false;
};

class JsonCursor {
 public:
  JsonCursor(InputSource& src, Progress& progress) : pos(src.data()), src_(src), progress_(progress) {}

  // The read position, inside [source().data(), end()). Phases move it as
  // they consume text.
  const char* pos;

  InputSource& source() const { return src_; }
  Progress& progress() const { return progress_; }
  const char* end() const { return src_.data() + src_.size(); }
  // Byte offset of q in the input.
  uint64_t off(const char* q) const { return src_.offset() + static_cast<uint64_t>(q - src_.data()); }
  [[noreturn]] void fail(const char* q, std::string msg) const { throw ParseFailure{off(q), std::move(msg)}; }
  [[noreturn]] void fail_at(uint64_t offset, std::string msg) const { throw ParseFailure{offset, std::move(msg)}; }

  // Moves the window past what was consumed; false at the end of input.
  bool refill();
  // At least n bytes from pos in the window, unless the input ends first.
  bool ensure(size_t n);
  void skip_ws();
  void expect(char c);

  // Decodes the JSON string at pos (which must be '"'), passing decoded
  // bytes to out(const char*, size_t).
  template <typename Out>
  void decode_string(Out&& out) {
    const uint64_t start_off = off(pos);
    expect('"');
    for (;;) {
      size_t run = json_text::plain_run(pos, end());
      if (run) {
        out(pos, run);
        pos += run;
      }
      if (pos == end()) {
        if (!refill()) fail_at(start_off, "unexpected end of file inside a string");
        continue;
      }
      unsigned char c = static_cast<unsigned char>(*pos);
      if (c == '"') {
        ++pos;
        return;
      }
      if (c == '\\') {
        ensure(12);
        if (end() - pos < 2) fail(pos, "unexpected end of file inside an escape");
        char e = pos[1];
        char ch;
        switch (e) {
          case '"':
            ch = '"';
            break;
          case '\\':
            ch = '\\';
            break;
          case '/':
            ch = '/';
            break;
          case 'b':
            ch = '\b';
            break;
          case 'f':
            ch = '\f';
            break;
          case 'n':
            ch = '\n';
            break;
          case 'r':
            ch = '\r';
            break;
          case 't':
            ch = '\t';
            break;
          case 'u': {
            if (end() - pos < 6) fail(pos, "unexpected end of file inside a \\u escape");
            int cp = json_text::hex4(pos + 2);
            if (cp < 0) fail(pos, "invalid \\u escape: expected 4 hex digits");
            size_t used = 6;
            uint32_t code = static_cast<uint32_t>(cp);
            if (cp >= 0xd800 && cp <= 0xdbff && end() - pos >= 12 && pos[6] == '\\' && pos[7] == 'u') {
              int lo = json_text::hex4(pos + 8);
              if (lo >= 0xdc00 && lo <= 0xdfff) {
                code = 0x10000 + ((static_cast<uint32_t>(cp) - 0xd800) << 10) + (static_cast<uint32_t>(lo) - 0xdc00);
                used = 12;
              }
            }
            char buf[4];
            out(buf, json_text::encode_wtf8(code, buf));
            pos += used;
            continue;
          }
          default:
            fail(pos, std::string("invalid escape '\\") + (e >= 0x20 && e < 0x7f ? std::string(1, e) : "?") +
                          "' in a string");
        }
        out(&ch, 1);
        pos += 2;
        continue;
      }
      if (c < 0x20) fail(pos, "control character inside a string (must be escaped)");
      ensure(4);
      size_t len =
          json_text::utf8_sequence(reinterpret_cast<const unsigned char*>(pos), static_cast<size_t>(end() - pos));
      if (!len) fail(pos, "invalid UTF-8 in a string");
      out(pos, len);
      pos += len;
    }
  }

  std::string parse_key();
  // Skips any JSON value.
  void skip_value();
  // Skips the value at pos and returns its text (at most max_bytes, else
  // fails with `too_big` at the value's start).
  std::string capture_value(size_t max_bytes, const std::string& too_big);

 private:
  InputSource& src_;
  Progress& progress_;
  std::string* capture_ = nullptr;  // while capturing: the text so far
  const char* capture_from_ = nullptr;
  size_t capture_limit_ = 0;
  std::string capture_too_big_;
};

}  // namespace heapwise
