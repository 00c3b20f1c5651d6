// Reading the integer arrays (see integer_arrays.h).
#include "loader/integer_arrays.h"

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "loader/json_text.h"

namespace heapwise {

namespace {

using json_text::UintScan;

constexpr size_t kBatch = 4096;
constexpr size_t kSplitThreshold = 16u << 20;  // split arrays bigger than this between threads

// The k-th number in [q, end), or nullptr (the slow path of an error).
const char* nth_number(const char* q, const char* end, uint64_t k) {
  uint64_t seen = 0;
  while (q < end) {
    if (*q >= '0' && *q <= '9') {
      if (seen == k) return q;
      ++seen;
      while (q < end && *q >= '0' && *q <= '9') ++q;
    } else {
      ++q;
    }
  }
  return nullptr;
}

// Byte offset of the k-th number at or after text.
uint64_t locate_value(const JsonCursor& in, const char* text, size_t k) {
  const char* at = nth_number(text, in.end(), k);
  return in.off(at ? at : text);
}

void store_batch(JsonCursor& in, ArrayTarget& target, const uint64_t* v, size_t n, uint64_t base, const char* text,
                 const char* what) {
  std::string msg;
  size_t ok = target.store(v, n, base, &msg);
  if (ok != n)
    in.fail_at(locate_value(in, text, ok), msg + " (\"" + what + "\" value #" + std::to_string(base + ok) + ")");
}

// Two threads: [in.pos, comma) here and (comma, close] on a helper thread, the
// second writing from the value index the first part will end at.
uint64_t read_split(JsonCursor& in, ArrayTarget& target, const char* comma, const char* close, const char* what) {
  struct Part {
    const char* b = nullptr;
    const char* e = nullptr;
    uint64_t base = 0;
    uint64_t count = 0;
    UintScan st;
    uint64_t err_off = 0;
    std::string err;
  };
  Part first, second;
  first.b = in.pos;
  first.e = comma;
  second.b = comma + 1;
  second.e = close + 1;
  second.base = static_cast<uint64_t>(std::count(in.pos, comma, ',')) + 1;
  second.st.expect_value = true;
  second.st.any = true;
  auto run = [&](Part& part, bool report) {
    std::vector<uint64_t> batch(kBatch);
    const char* q = part.b;
    const char* released = q;
    while (q < part.e && !part.st.closed) {
      size_t n = 0;
      const char* start = q;
      q = json_text::scan_uints(q, part.e, true, part.st, batch.data(), kBatch, n);
      if (part.st.error) {
        part.err_off = in.off(part.st.error_at);
        part.err = part.st.error + std::string(" in \"") + what + "\"";
        return;
      }
      std::string msg;
      size_t ok = target.store(batch.data(), n, part.base + part.count, &msg);
      if (ok != n) {
        part.err_off = locate_value(in, start, ok);
        part.err = msg + " (\"" + what + "\" value #" + std::to_string(part.base + part.count + ok) + ")";
        return;
      }
      part.count += n;
      if (q - released > (32 << 20)) {
        // Each thread drops only the pages it has read itself.
        in.source().release(static_cast<size_t>(released - in.source().data()),
                            static_cast<size_t>(q - in.source().data()));
        if (report) in.progress().add(static_cast<uint64_t>(q - released) * 2);
        released = q;
      }
      if (n == 0 && q == start) break;
    }
  };
  std::thread helper([&] { run(second, false); });
  run(first, true);
  helper.join();
  if (!first.err.empty()) in.fail_at(first.err_off, first.err);
  if (first.count != second.base || first.st.expect_value)
    in.fail(comma, std::string("malformed \"") + what + "\" array");
  if (!second.err.empty()) in.fail_at(second.err_off, second.err);
  if (!second.st.closed) in.fail(close, std::string("malformed \"") + what + "\" array");
  in.pos = close + 1;
  in.progress().set(in.off(in.pos));
  in.source().release(0, static_cast<size_t>(in.pos - in.source().data()));
  return first.count + second.count;
}

}  // namespace

uint64_t read_uint_array(JsonCursor& in, ArrayTarget& target, Section& sec, const char* what, int threads) {
  if (!in.ensure(1) || *in.pos != '[') in.fail(in.pos, std::string("the \"") + what + "\" section must be an array");
  sec.begin = in.off(in.pos);
  ++in.pos;
  uint64_t count = 0;
  if (in.source().whole() && threads > 1 && target.splittable()) {
    const char* close = static_cast<const char*>(std::memchr(in.pos, ']', static_cast<size_t>(in.end() - in.pos)));
    if (close && close - in.pos > static_cast<ptrdiff_t>(kSplitThreshold)) {
      const char* mid = in.pos + (close - in.pos) / 2;
      const char* comma = static_cast<const char*>(std::memchr(mid, ',', static_cast<size_t>(close - mid)));
      if (comma) {
        count = read_split(in, target, comma, close, what);
        sec.end = in.off(in.pos);
        return count;
      }
    }
  }
  UintScan st;
  std::vector<uint64_t> batch(kBatch);
  for (;;) {
    size_t n = 0;
    const char* start = in.pos;
    in.pos = json_text::scan_uints(in.pos, in.end(), in.source().at_eof(), st, batch.data(), kBatch, n);
    if (st.error) in.fail(st.error_at, st.error + std::string(" in \"") + what + "\"");
    store_batch(in, target, batch.data(), n, count, start, what);
    count += n;
    if (st.closed) break;
    if (n == 0 && in.pos == start) {
      if (!in.refill()) in.fail(in.pos, std::string("unexpected end of file inside the \"") + what + "\" array");
    }
    if (in.source().whole() && count % (kBatch * 1024) == 0) in.progress().set(in.off(in.pos));
  }
  sec.end = in.off(in.pos);
  if (in.source().whole()) {
    in.progress().set(in.off(in.pos));
    in.source().release(0, static_cast<size_t>(in.pos - in.source().data()));
  }
  return count;
}

uint64_t locate_in(const JsonCursor& in, const Section& s, uint64_t k) {
  if (!in.source().whole()) return s.begin;
  const char* at = nth_number(in.source().data() + s.begin, in.source().data() + s.end, k);
  return at ? in.off(at) : s.begin;
}

}  // namespace heapwise
