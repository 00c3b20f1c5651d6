// The integer arrays of a snapshot (nodes, edges, locations, samples,
// trace function infos): "[1,2,3]" scanned by json_text::scan_uints in
// batches straight into an ArrayTarget. A big array of a plain (mapped)
// file is cut at commas into pieces that every thread takes in turn, each
// piece written from the index of its first value. Pages already read are
// given back as it goes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "loader/array_targets.h"
#include "loader/json_cursor.h"

namespace heapwise {

// How a big array of a mapped file is shared between threads: cut into
// pieces of about `chunk_bytes` (many per thread, so that a thread that
// ends early takes another); an array shorter than one piece is read by one
// thread.
struct ArraySplit {
  size_t threads = 1;
  size_t chunk_bytes = size_t{8} << 20;
};

// Reads the array at in.pos into target; records its extent in sec;
// returns how many numbers it held.
uint64_t read_uint_array(JsonCursor& in, ArrayTarget& target, Section& sec, const char* what, const ArraySplit& split);

// Byte offset of the k-th number of a section (for an error found after
// reading); the section's start for streamed input, where the text is gone.
uint64_t locate_in(const JsonCursor& in, const Section& s, uint64_t k);

}  // namespace heapwise
