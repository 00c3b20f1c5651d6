// The integer arrays of a snapshot (nodes, edges, locations, samples,
// trace function infos): "[1,2,3]" scanned by json_text::scan_uints in
// batches straight into an ArrayTarget. A big array of a plain (mapped)
// file is cut at commas into one piece per thread, each writing from the
// index of its first value. Pages already read are given back as it goes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "loader/array_targets.h"
#include "loader/json_cursor.h"

namespace heapwise {

// How a big array of a mapped file is shared between threads: at most
// `threads` pieces of at least `min_piece_bytes` each (smaller arrays are
// read by one thread: starting threads would cost more than they save).
struct ArraySplit {
  size_t threads = 1;
  size_t min_piece_bytes = size_t{8} << 20;
};

// Reads the array at in.pos into target; records its extent in sec;
// returns how many numbers it held.
uint64_t read_uint_array(JsonCursor& in, ArrayTarget& target, Section& sec, const char* what, const ArraySplit& split);

// Byte offset of the k-th number of a section (for an error found after
// reading); the section's start for streamed input, where the text is gone.
uint64_t locate_in(const JsonCursor& in, const Section& s, uint64_t k);

}  // namespace heapwise
