// Reading the integer arrays (see integer_arrays.h).
#include "loader/integer_arrays.h"

#include <algorithm>
#include <barrier>
#include <cstring>
#include <thread>
#include <vector>

#include "loader/json_text.h"

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

// Reads the array [in.pos, close] in pieces cut at commas, one thread per
// piece (this one takes the first). A piece needs the index of its first
// value: every thread first counts the commas of its own piece, and after a
// barrier adds up those of the pieces before it, so no pass over the text
// is left to one thread.
uint64_t read_split(JsonCursor& in, ArrayTarget& target, const char* close, size_t pieces, const char* what) {
  struct Piece {
    const char* b = nullptr;
    const char* e = nullptr;
    uint64_t commas = 0;
    uint64_t base = 0;
    uint64_t count = 0;
    UintScan st;
    uint64_t err_off = 0;
    std::string err;
  };
  // Cut at the first comma at or after each 1/pieces of the text.
  std::vector<Piece> piece(1);
  piece[0].b = in.pos;
  const size_t length = static_cast<size_t>(close - in.pos);
  for (size_t i = 1; i < pieces; ++i) {
    const char* from = std::max(in.pos + length / pieces * i, piece.back().b);
    const char* comma = static_cast<const char*>(std::memchr(from, ',', static_cast<size_t>(close - from)));
    if (!comma) break;
    piece.back().e = comma;
    piece.emplace_back().b = comma + 1;
    piece.back().st.expect_value = true;
    piece.back().st.any = true;
  }
  piece.back().e = close + 1;
  const size_t n_pieces = piece.size();

  std::barrier counted(static_cast<std::ptrdiff_t>(n_pieces));
  auto run = [&](size_t index) {
    Piece& part = piece[index];
    part.commas = static_cast<uint64_t>(std::count(part.b, part.e, ','));
    counted.arrive_and_wait();
    for (size_t i = 0; i < index; ++i) part.base += piece[i].commas + 1;
    std::vector<uint64_t> batch(kBatch);
    const char* q = part.b;
    const char* released = q;
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
        return;
      }
      if (part.st.error) {
        part.err_off = in.off(part.st.error_at);
        part.err = part.st.error + std::string(" in \"") + what + "\"";
        return;
      }
      part.count += n;
      if (q - released > (32 << 20)) {
        // Each thread drops only the pages it has read itself; the first
        // speaks for all in the progress bar.
        in.source().release(static_cast<size_t>(released - in.source().data()),
                            static_cast<size_t>(q - in.source().data()));
        if (index == 0) in.progress().add(static_cast<uint64_t>(q - released) * n_pieces);
        released = q;
      }
      if (n == 0 && q == start) break;
    }
  };
  std::vector<std::thread> helpers;
  for (size_t i = 1; i < n_pieces; ++i) helpers.emplace_back(run, i);
  run(0);
  for (auto& t : helpers) t.join();
  // The first problem in file order is the one reported, as a reading by
  // one thread would have stopped there.
  for (size_t i = 0; i < n_pieces; ++i) {
    const Piece& part = piece[i];
    if (!part.err.empty()) in.fail_at(part.err_off, part.err);
    if (i + 1 < n_pieces) {
      if (part.st.expect_value) {
        // The piece ends with a comma, so another one follows it: read on
        // as one thread would have, and say what it would have said there.
        UintScan st = part.st;
        uint64_t value = 0;
        size_t n = 0;
        json_text::scan_uints(part.e, close + 1, true, st, &value, 1, n);
        if (st.error) in.fail(st.error_at, st.error + std::string(" in \"") + what + "\"");
      }
      if (part.count != part.commas + 1 || part.st.expect_value)
        in.fail(part.e, std::string("malformed \"") + what + "\" array");
    } else if (!part.st.closed) {
      in.fail(close, std::string("malformed \"") + what + "\" array");
    }
  }
  in.pos = close + 1;
  in.progress().set(in.off(in.pos));
  in.source().release(0, static_cast<size_t>(in.pos - in.source().data()));
  return piece.back().base + piece.back().count;
}

}  // namespace

uint64_t read_uint_array(JsonCursor& in, ArrayTarget& target, Section& sec, const char* what, const ArraySplit& split) {
  if (!in.ensure(1) || *in.pos != '[') in.fail(in.pos, std::string("the \"") + what + "\" section must be an array");
  sec.begin = in.off(in.pos);
  ++in.pos;
  uint64_t count = 0;
  if (in.source().whole() && split.threads > 1 && target.splittable()) {
    const char* close = static_cast<const char*>(std::memchr(in.pos, ']', static_cast<size_t>(in.end() - in.pos)));
    const size_t pieces =
        close ? std::min<size_t>(split.threads, static_cast<size_t>(close - in.pos) / split.min_piece_bytes) : 0;
    if (pieces > 1) {
      count = read_split(in, target, close, pieces, what);
      sec.end = in.off(in.pos);
      return count;
    }
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
