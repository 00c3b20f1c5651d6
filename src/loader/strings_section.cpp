// The strings section (see strings_section.h).
#include "loader/strings_section.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "util/in_parallel.h"
#include "util/progress.h"

namespace heapwise {

namespace {

// UTF-16 units of WTF-8 text: one per lead byte, two for a 4-byte sequence.
uint64_t utf16_units(const char* s, size_t n) {
  uint64_t units = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    units += (c & 0xc0) != 0x80;
    units += c >= 0xf0;
  }
  return units;
}

// Decoded strings: an arena and where each string ends in it.
struct StringList {
  BigArray<char>& chars;
  BigArray<uint64_t>& offsets;  // starts with 0
  uint64_t used = 0;
};

// Reads strings from in.pos into `out` until the array's ']' (returns true)
// or until the next string would start at or after `stop` (returns false,
// in.pos there). `whole`: the text is all mapped, and `out.chars` is
// already as long as the text left (decoded strings are never longer).
bool read_string_list(JsonCursor& in, StringList& out, uint64_t most_strings, bool whole, const char* stop) {
  auto& chars = out.chars;
  auto& offsets = out.offsets;
  uint64_t& used = out.used;
  // The string being decoded starts at `string_start`; its UTF-16 units are
  // counted (up to `counted`) only once its bytes pass V8's limit, since a
  // string never has more units than bytes.
  uint64_t string_start = 0, counted = 0, units = 0;
  auto append = [&](const char* s, size_t n) {
    if (used + n > chars.size())
      chars.resize(std::max<size_t>(static_cast<size_t>(used + n), chars.size() * 2 + (1 << 20)));
    std::memcpy(chars.data() + used, s, n);
    used += n;
    if (used - string_start > kMaxV8StringLength) {
      units += utf16_units(chars.data() + counted, static_cast<size_t>(used - counted));
      counted = used;
      if (units > kMaxV8StringLength)
        in.fail(in.pos, "string #" + std::to_string(offsets.size() - 1) + " is longer than V8's longest string (" +
                            std::to_string(kMaxV8StringLength) + " UTF-16 units)");
    }
  };
  const char* released = in.pos;
  constexpr ptrdiff_t kReleaseStep = 64 << 20;
  for (;;) {
    in.skip_ws();
    if (stop && in.pos >= stop) return false;
    if (!in.ensure(1)) in.fail(in.pos, "unexpected end of file inside the \"strings\" array");
    if (*in.pos != '"') in.fail(in.pos, "expected a string in the \"strings\" array");
    if (offsets.size() > most_strings)
      in.fail(in.pos, "more than " + std::to_string(most_strings) +
                          " strings: V8 writes only the names of the snapshot's nodes, edges and trace functions");
    string_start = counted = used;
    units = 0;
    in.decode_string(append);
    offsets.push_back(used);
    if ((offsets.size() & 0xffff) == 0 && whole) in.progress().set(in.off(in.pos));
    if (whole && in.pos - released > kReleaseStep) {
      // The text is copied into the arena: drop the file pages behind us,
      // or a big strings section would count twice in memory.
      in.source().release(static_cast<size_t>(released - in.source().data()),
                          static_cast<size_t>(in.pos - in.source().data()));
      released = in.pos;
    }
    in.skip_ws();
    if (!in.ensure(1)) in.fail(in.pos, "unexpected end of file inside the \"strings\" array");
    if (*in.pos == ',') {
      ++in.pos;
      continue;
    }
    if (*in.pos == ']') {
      ++in.pos;
      return true;
    }
    in.fail(in.pos, "expected ',' or ']' in the \"strings\" array");
  }
}

// Where a second thread may start: the first string that V8 put on a line
// of its own (",\n\"") from the middle of the text on. A raw newline is
// never inside a JSON string, so in a valid file this is a string's start;
// the first thread checks that it gets there (see read_strings).
const char* second_half(const char* from, const char* end) {
  static constexpr char kLineStart[] = ",\n\"";
  const char* mid = from + (end - from) / 2;
  const void* at = memmem(mid, static_cast<size_t>(end - mid), kLineStart, sizeof kLineStart - 1);
  return at ? static_cast<const char*>(at) + 2 : nullptr;
}

}  // namespace

void read_strings(JsonCursor& in, Section& section, StringTable& strings, uint64_t most_strings,
                  const ArraySplit& split) {
  if (!in.ensure(1) || *in.pos != '[') in.fail(in.pos, "the \"strings\" section must be an array");
  section.begin = in.off(in.pos);
  ++in.pos;
  const bool whole = in.source().whole();
  StringList list{strings.chars(), strings.offsets()};
  // Decoded strings are never longer than their JSON text.
  if (whole) list.chars.resize(static_cast<size_t>(in.end() - in.pos) + 16);
  list.offsets.push_back(0);
  in.skip_ws();
  bool ended = in.ensure(1) && *in.pos == ']';
  if (ended) ++in.pos;

  // A big section of a mapped file is read in two halves at once. The
  // second is a guess: it counts only if the first thread, reading on,
  // reaches exactly where it starts, and it read to the array's end without
  // a problem. Otherwise this thread reads on from where it stopped, as if
  // alone, and says what is wrong where one thread would.
  const char* cut = !ended && whole && split.threads > 1 && static_cast<size_t>(in.end() - in.pos) > split.chunk_bytes
                        ? second_half(in.pos, in.end())
                        : nullptr;
  if (cut) {
    BigArray<char> later_chars(static_cast<size_t>(in.end() - cut) + 16);
    BigArray<uint64_t> later_offsets;
    later_offsets.push_back(0);
    StringList later{later_chars, later_offsets};
    Progress quiet("", 0, false);
    JsonCursor later_in(in.source(), quiet);
    later_in.pos = cut;
    bool later_read = false;
    in_parallel([&] { ended = read_string_list(in, list, most_strings, whole, cut); },
                [&] {
                  try {
                    later_read = read_string_list(later_in, later, most_strings, whole, nullptr);
                  } catch (const ParseFailure&) {
                  }
                });
    const uint64_t count = list.offsets.size() - 1 + later.offsets.size() - 1;
    if (!ended && in.pos == cut && later_read && count <= most_strings) {
      std::memcpy(list.chars.data() + list.used, later.chars.data(), later.used);
      for (size_t i = 1; i < later.offsets.size(); ++i) list.offsets.push_back(list.used + later.offsets[i]);
      list.used += later.used;
      in.pos = later_in.pos;
      ended = true;
    }
  }
  if (!ended) read_string_list(in, list, most_strings, whole, nullptr);
  section.end = in.off(in.pos);
  if (whole) in.source().release(0, static_cast<size_t>(in.pos - in.source().data()));
}

}  // namespace heapwise
