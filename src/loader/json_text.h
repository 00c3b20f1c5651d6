// Low-level JSON text routines shared by the snapshot parser: the unsigned
// integer scanner for the big arrays and the string decoder. Both work on a
// window of bytes and never throw; they report the failing byte and a reason.
#pragma once

#include <cstddef>
#include <cstdint>

namespace heapwise::json_text {

// Scanning state of an integer array that may span several windows.
struct UintScan {
  bool expect_value = true;  // after '[' or ','
  bool any = false;          // at least one value seen
  bool closed = false;       // ']' consumed
  const char* error_at = nullptr;
  const char* error = nullptr;  // static message
};

// Bytes kept in the window past `limit` so that a number (at most 20 chars)
// that starts before `limit` is always complete.
constexpr size_t kNumberMargin = 32;

// Scans values from p up to limit (or up to end when at_eof), writing up to
// cap values to out. Returns the new position; n receives the count. Stops
// early on ']' (st.closed), on a full batch, or on an error (st.error).
const char* scan_uints(const char* p, const char* end, bool at_eof, UintScan& st, uint64_t* out, size_t cap, size_t& n);

// Length of the run at p that needs no decoding: no '"', '\\', control
// characters or non-ASCII bytes.
size_t plain_run(const char* p, const char* end);

// Validates one UTF-8 sequence at p (first byte >= 0x80). Returns its length,
// or 0 if invalid; `avail` is the number of bytes available.
size_t utf8_sequence(const unsigned char* p, size_t avail);

// Appends code point cp (may be a lone surrogate: WTF-8) to buf; returns bytes written (<= 4).
size_t encode_wtf8(uint32_t cp, char* buf);

// Parses 4 hex digits; returns -1 if not hex.
int hex4(const char* p);

}  // namespace heapwise::json_text
