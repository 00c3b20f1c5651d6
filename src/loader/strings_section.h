// The "strings" section: every JSON string decoded (escapes, surrogate
// pairs, lone surrogates as WTF-8) into the StringTable's one arena. For a
// mapped file the arena is reserved at the section's text size (decoded
// strings are never longer) and the file pages behind the reader are given
// back, so a big strings section does not count twice in memory.
#pragma once

#include "graph/string_table.h"
#include "loader/json_cursor.h"

namespace heapwise {

void read_strings(JsonCursor& in, Section& section, StringTable& strings);

}  // namespace heapwise
