// The integer arrays of a snapshot (nodes, edges, locations, samples,
// trace function infos): "[1,2,3]" scanned by json_text::scan_uints in
// batches straight into an ArrayTarget. A big array of a plain (mapped)
// file is split at a comma near its middle and read by two threads, the
// second writing from the value index the first part ends at. Pages
// already read are given back as it goes.
#pragma once

#include <cstdint>

#include "loader/array_targets.h"
#include "loader/json_cursor.h"

namespace heapwise {

// Reads the array at in.pos into target with up to `threads` threads;
// records its extent in sec; returns how many numbers it held.
uint64_t read_uint_array(JsonCursor& in, ArrayTarget& target, Section& sec, const char* what, int threads);

// Byte offset of the k-th number of a section (for an error found after
// reading); the section's start for streamed input, where the text is gone.
uint64_t locate_in(const JsonCursor& in, const Section& s, uint64_t k);

}  // namespace heapwise
