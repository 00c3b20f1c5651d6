// A Snapshot (its graph and every analysis) to and from a cache entry. The
// decoder checks what the commands index with (column lengths, edge targets,
// string and name indices, the dominator tree's links), so an entry that
// passed its checksum but was made by hand still cannot send a command out
// of bounds.
#pragma once

#include <memory>

#include "analysis/snapshot.h"
#include "cache/cache_file.h"

namespace heapwise::cache {

void encode_snapshot(const Snapshot& snapshot, EntryWriter& out);

// Throws CorruptEntry.
std::unique_ptr<Snapshot> decode_snapshot(EntryReader& in);

}  // namespace heapwise::cache
