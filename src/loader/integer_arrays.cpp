// Reading the integer arrays (see integer_arrays.h).
#include "loader/integer_arrays.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "loader/json_text.h"
#include "util/in_parallel.h"

namespace heapwise {

namespace {

using json_text::UintScan;

constexpr size_t kBatch = 4096;

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

// Reads the array at in.pos, cut at commas into pieces that the threads take
// in turn, in two passes that both keep every thread busy: no part of the
// text is left to one thread, and a thread that ends its piece early takes
// another (with one piece per thread, the last to end kept the others
// waiting).
//
// 1. The text from in.pos is cut into chunks of `chunk_bytes`; the threads
//    take them in order, each finding its chunk's first comma and closing
//    bracket and counting its commas, until a chunk holding the array's
//    closing bracket is reached. (So the search for the bracket is shared
//    too: alone it was a serial pass over every byte of the array, the
//    first touch of each page of the file.)
// 2. A piece runs from just after a chunk's first comma to the next such
//    comma; the index of its first value is one more than the commas of
//    every chunk before it. The threads take the pieces in turn and store
//    their values from there.
//
// Returns false, reading nothing, when the rest of the text holds no
// closing bracket: one thread then reads on and reports it.
bool read_split(JsonCursor& in, ArrayTarget& target, size_t threads, size_t chunk_bytes, const char* what,
                uint64_t& count) {
  struct Chunk {
    const char* first_comma = nullptr;  // before the closing bracket
    const char* close = nullptr;
    uint64_t commas = 0;  // before the closing bracket
  };
  const char* const from = in.pos;
  const size_t rest = static_cast<size_t>(in.end() - from);
  std::vector<Chunk> chunk((rest + chunk_bytes - 1) / chunk_bytes);
  std::atomic<size_t> next_chunk{0}, closing_chunk{chunk.size()};
  on_threads(threads, [&](size_t) {
    for (size_t k; (k = next_chunk.fetch_add(1)) < std::min(chunk.size(), closing_chunk.load());) {
      const char* b = from + k * chunk_bytes;
      const char* e = from + std::min(rest, (k + 1) * chunk_bytes);
      Chunk& c = chunk[k];
      c.close = static_cast<const char*>(std::memchr(b, ']', static_cast<size_t>(e - b)));
      if (c.close) {
        e = c.close;
        lower_to(closing_chunk, k);
      }
      c.first_comma = static_cast<const char*>(std::memchr(b, ',', static_cast<size_t>(e - b)));
      c.commas = static_cast<uint64_t>(std::count(b, e, ','));
    }
  });
  const size_t last_chunk = closing_chunk.load();
  if (last_chunk == chunk.size()) return false;
  const char* const close = chunk[last_chunk].close;

  struct Piece {
    const char* b = nullptr;
    const char* e = nullptr;  // the comma after it, or the closing bracket + 1
    uint64_t base = 0;
    uint64_t count = 0;
    UintScan st;
    uint64_t err_off = 0;
    std::string err;
  };
  std::vector<Piece> piece(1);
  piece[0].b = from;
  uint64_t commas_before = 0;
  for (size_t k = 0; k <= last_chunk; ++k) {
    // A chunk with no comma of its own stays in the piece before it.
    if (k > 0 && chunk[k].first_comma) {
      piece.back().e = chunk[k].first_comma;
      Piece& p = piece.emplace_back();
      p.b = chunk[k].first_comma + 1;
      p.base = commas_before + 1;
      p.st.expect_value = true;
      p.st.any = true;
    }
    commas_before += chunk[k].commas;
  }
  piece.back().e = close + 1;

  std::atomic<size_t> next_piece{0};
  std::atomic<uint64_t> bytes_read{0};
  on_threads(threads, [&](size_t thread) {
    std::vector<uint64_t> batch(kBatch);
    for (size_t index; (index = next_piece.fetch_add(1)) < piece.size();) {
      Piece& part = piece[index];
      const char* q = part.b;
      while (q < part.e && !part.st.closed) {
        size_t n = 0;
        const char* start = q;
        q = json_text::scan_uints(q, part.e, true, part.st, batch.data(), kBatch, n);
        // The numbers before a bad character are stored (and checked) first:
        // one of them may be the first problem in the file.
        std::string msg;
        size_t ok = target.store(batch.data(), n, part.base + part.count, &msg);
        if (ok != n) {
          part.err_off = locate_value(in, start, ok);
          part.err = msg + " (\"" + what + "\" value #" + std::to_string(part.base + part.count + ok) + ")";
          break;
        }
        if (part.st.error) {
          part.err_off = in.off(part.st.error_at);
          part.err = part.st.error + std::string(" in \"") + what + "\"";
          break;
        }
        part.count += n;
        if (n == 0 && q == start) break;
      }
      // Each thread gives back the pages of the pieces it has read; the
      // first speaks for all in the progress bar.
      in.source().release(static_cast<size_t>(part.b - in.source().data()),
                          static_cast<size_t>(part.e - in.source().data()));
      const uint64_t read = bytes_read.fetch_add(static_cast<uint64_t>(part.e - part.b)) + (part.e - part.b);
      if (thread == 0) in.progress().set(in.off(from) + read);
    }
  });
  // The first problem in file order is the one reported, as a reading by
  // one thread would have stopped there.
  for (size_t i = 0; i < piece.size(); ++i) {
    const Piece& part = piece[i];
    if (!part.err.empty()) in.fail_at(part.err_off, part.err);
    if (i + 1 < piece.size()) {
      if (part.st.expect_value) {
        // The piece ends with a comma, so another one follows it: read on
        // as one thread would have, and say what it would have said there.
        UintScan st = part.st;
        uint64_t value = 0;
        size_t n = 0;
        json_text::scan_uints(part.e, close + 1, true, st, &value, 1, n);
        if (st.error) in.fail(st.error_at, st.error + std::string(" in \"") + what + "\"");
      }
      if (part.count != piece[i + 1].base - part.base || part.st.expect_value)
        in.fail(part.e, std::string("malformed \"") + what + "\" array");
    } else if (!part.st.closed) {
      in.fail(close, std::string("malformed \"") + what + "\" array");
    }
  }
  in.pos = close + 1;
  in.progress().set(in.off(in.pos));
  in.source().release(0, static_cast<size_t>(in.pos - in.source().data()));
  count = piece.back().base + piece.back().count;
  return true;
}

}  // namespace

uint64_t read_uint_array(JsonCursor& in, ArrayTarget& target, Section& sec, const char* what, const ArraySplit& split) {
  if (!in.ensure(1) || *in.pos != '[') in.fail(in.pos, std::string("the \"") + what + "\" section must be an array");
  sec.begin = in.off(in.pos);
  ++in.pos;
  uint64_t count = 0;
  // An array that ends within its first chunk is read by this thread alone:
  // starting threads would cost more than they save.
  if (in.source().whole() && split.threads > 1 && target.splittable() &&
      !std::memchr(in.pos, ']', std::min(split.chunk_bytes, static_cast<size_t>(in.end() - in.pos))) &&
      read_split(in, target, split.threads, split.chunk_bytes, what, count)) {
    sec.end = in.off(in.pos);
    return count;
  }
  UintScan st;
  std::vector<uint64_t> batch(kBatch);
  for (;;) {
    size_t n = 0;
    const char* start = in.pos;
    in.pos = json_text::scan_uints(in.pos, in.end(), in.source().at_eof(), st, batch.data(), kBatch, n);
    store_batch(in, target, batch.data(), n, count, start, what);  // before a bad character's error, as above
    if (st.error) in.fail(st.error_at, st.error + std::string(" in \"") + what + "\"");
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
