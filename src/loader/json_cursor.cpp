// JSON tokens for the loader (see json_cursor.h).
#include "loader/json_cursor.h"

#include <cstring>

namespace heapwise {

bool JsonCursor::refill() {
  if (src_.at_eof()) return false;
  size_t consumed = static_cast<size_t>(pos - src_.data());
  if (capture_) {
    capture_->append(capture_from_, pos);
    if (capture_->size() > capture_limit_) fail(pos, capture_too_big_);
  }
  size_t before = src_.size() - consumed;
  progress_.add(consumed);
  auto r = src_.advance(consumed);
  if (!r.ok()) throw ParseFailure{r.error().offset, r.error().message};
  pos = src_.data();
  capture_from_ = pos;
  return src_.size() > before;
}

bool JsonCursor::ensure(size_t n) {
  while (static_cast<size_t>(end() - pos) < n)
    if (!refill()) return false;
  return true;
}

void JsonCursor::skip_ws() {
  for (;;) {
    while (pos < end() && (*pos == ' ' || *pos == '\n' || *pos == '\r' || *pos == '\t')) ++pos;
    if (pos < end() || !refill()) return;
  }
}

void JsonCursor::expect(char c) {
  if (!ensure(1)) fail(pos, std::string("unexpected end of file: expected '") + c + "'");
  if (*pos != c) fail(pos, std::string("expected '") + c + "'");
  ++pos;
}

std::string JsonCursor::parse_key() {
  if (!ensure(1)) fail(pos, "unexpected end of file: expected a key");
  if (*pos != '"') fail(pos, "expected a quoted key");
  std::string key;
  const char* at = pos;
  decode_string([&](const char* s, size_t n) {
    if (key.size() + n > 4096) fail(at, "key is too long");
    key.append(s, n);
  });
  return key;
}

void JsonCursor::skip_value() {
  size_t depth = 0;
  for (;;) {
    skip_ws();
    if (!ensure(1)) fail(pos, "unexpected end of file inside a value");
    char c = *pos;
    if (c == '"') {
      decode_string([](const char*, size_t) {});
    } else if (c == '{' || c == '[') {
      ++depth;
      ++pos;
      continue;
    } else if (c == '}' || c == ']') {
      if (depth == 0) fail(pos, std::string("unexpected '") + c + "'");
      --depth;
      ++pos;
    } else if (c == ',' || c == ':') {
      if (depth == 0) fail(pos, std::string("unexpected '") + c + "'");
      ++pos;
      continue;
    } else if ((c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n') {
      const char* start = pos;
      for (;;) {
        while (pos < end() && std::strchr("0123456789+-.eEtruefalsn", *pos) && *pos) ++pos;
        if (pos < end() || !refill()) break;
      }
      if (pos == start) fail(pos, "invalid literal");
    } else {
      fail(pos, "unexpected character in JSON value");
    }
    if (depth == 0) return;
  }
}

std::string JsonCursor::capture_value(size_t max_bytes, const std::string& too_big) {
  const uint64_t begin = off(pos);
  std::string text;
  capture_ = &text;
  capture_from_ = pos;
  capture_limit_ = max_bytes;
  capture_too_big_ = too_big;
  skip_value();
  capture_ = nullptr;
  if (text.size() + static_cast<size_t>(pos - capture_from_) > max_bytes) fail_at(begin, too_big);
  text.append(capture_from_, pos);
  return text;
}

}  // namespace heapwise
