// The "strings" section: every JSON string decoded (escapes, surrogate
// pairs, lone surrogates as WTF-8) into the StringTable's one arena. For a
// mapped file the arena is reserved at the section's text size (decoded
// strings are never longer) and the file pages behind the reader are given
// back, so a big strings section does not count twice in memory.
//
// A compressed file can claim any amount of text, so what V8 could have
// written bounds it: no string longer than V8's longest (kMaxV8StringLength
// UTF-16 units) and at most `most_strings` of them.
#pragma once

#include <cstdint>

#include "graph/string_table.h"
#include "loader/integer_arrays.h"
#include "loader/json_cursor.h"

namespace heapwise {

// V8's String::kMaxLength on 64-bit hosts: (1 << 29) - 24 UTF-16 units.
constexpr uint64_t kMaxV8StringLength = (uint64_t{1} << 29) - 24;

// With split.threads above 1, a section of a mapped file longer than
// split.chunk_bytes is read in two halves at once (the result, and any
// error, are the ones a single thread gives).
void read_strings(JsonCursor& in, Section& section, StringTable& strings, uint64_t most_strings,
                  const ArraySplit& split);

}  // namespace heapwise
