// The strings section (see strings_section.h).
#include "loader/strings_section.h"

#include <algorithm>
#include <cstring>
#include <string>

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

}  // namespace

void read_strings(JsonCursor& in, Section& section, StringTable& strings, uint64_t most_strings) {
  if (!in.ensure(1) || *in.pos != '[') in.fail(in.pos, "the \"strings\" section must be an array");
  section.begin = in.off(in.pos);
  ++in.pos;
  auto& chars = strings.chars();
  auto& offsets = strings.offsets();
  // Decoded strings are never longer than their JSON text.
  if (in.source().whole()) chars.reserve(static_cast<size_t>(in.end() - in.pos) + 16);
  uint64_t used = 0;
  offsets.push_back(0);
  // The string being decoded starts at `string_start`; its UTF-16 units are
  // counted (up to `counted`) only once its bytes pass V8's limit, since a
  // string never has more units than bytes.
  uint64_t string_start = 0, counted = 0, units = 0;
  auto append = [&](const char* s, size_t n) {
    if (used + n > chars.size()) {
      size_t want = std::max<size_t>(static_cast<size_t>(used + n), chars.size() * 2 + (1 << 20));
      if (in.source().whole()) want = std::max<size_t>(static_cast<size_t>(used + n), chars.size());
      chars.resize(want);
    }
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
  if (in.source().whole()) chars.resize(static_cast<size_t>(in.end() - in.pos) + 16);
  const char* released = in.pos;
  constexpr ptrdiff_t kReleaseStep = 64 << 20;
  in.skip_ws();
  if (in.ensure(1) && *in.pos == ']') {
    ++in.pos;
  } else {
    for (;;) {
      in.skip_ws();
      if (!in.ensure(1)) in.fail(in.pos, "unexpected end of file inside the \"strings\" array");
      if (*in.pos != '"') in.fail(in.pos, "expected a string in the \"strings\" array");
      if (offsets.size() > most_strings)
        in.fail(in.pos, "more than " + std::to_string(most_strings) +
                            " strings: V8 writes only the names of the snapshot's nodes, edges and trace functions");
      string_start = counted = used;
      units = 0;
      in.decode_string(append);
      offsets.push_back(used);
      if ((offsets.size() & 0xffff) == 0 && in.source().whole()) in.progress().set(in.off(in.pos));
      if (in.source().whole() && in.pos - released > kReleaseStep) {
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
        break;
      }
      in.fail(in.pos, "expected ',' or ']' in the \"strings\" array");
    }
  }
  section.end = in.off(in.pos);
  if (in.source().whole()) in.source().release(0, static_cast<size_t>(in.pos - in.source().data()));
}

}  // namespace heapwise
