// The strings section (see strings_section.h).
#include "loader/strings_section.h"

#include <algorithm>
#include <cstring>

namespace heapwise {

void read_strings(JsonCursor& in, Section& section, StringTable& strings) {
  if (!in.ensure(1) || *in.pos != '[') in.fail(in.pos, "the \"strings\" section must be an array");
  section.begin = in.off(in.pos);
  ++in.pos;
  auto& chars = strings.chars();
  auto& offsets = strings.offsets();
  // Decoded strings are never longer than their JSON text.
  if (in.source().whole()) chars.reserve(static_cast<size_t>(in.end() - in.pos) + 16);
  uint64_t used = 0;
  offsets.push_back(0);
  auto append = [&](const char* s, size_t n) {
    if (used + n > chars.size()) {
      size_t want = std::max<size_t>(static_cast<size_t>(used + n), chars.size() * 2 + (1 << 20));
      if (in.source().whole()) want = std::max<size_t>(static_cast<size_t>(used + n), chars.size());
      chars.resize(want);
    }
    std::memcpy(chars.data() + used, s, n);
    used += n;
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
