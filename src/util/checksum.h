// A fast 64-bit checksum for the binary cache: it must tell a truncated or
// bit-flipped file from the one that was written, at memory speed (a cache
// entry of a 2 GB snapshot is over a gigabyte and is checked on every use).
// It is not a cryptographic hash: the cache guards against accidents, not
// against someone who can write the user's cache directory.
#pragma once

#include <cstddef>
#include <cstdint>

namespace heapwise {

// Checksum of n bytes, chained from `seed` (the previous block's result).
uint64_t checksum_bytes(const void* data, size_t n, uint64_t seed);

}  // namespace heapwise
