// Four independent multiply-rotate lanes over 32-byte blocks, so the CPU runs
// them in parallel; the tail and the length are folded in at the end.
#include "util/checksum.h"

#include <cstring>

namespace heapwise {

namespace {

constexpr uint64_t kOdd1 = 0x9E3779B97F4A7C15ull;  // 2^64 / golden ratio
constexpr uint64_t kOdd2 = 0xC2B2AE3D27D4EB4Full;

constexpr uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
constexpr uint64_t lane(uint64_t acc, uint64_t word) { return rotl(acc + word * kOdd2, 31) * kOdd1; }

}  // namespace

uint64_t checksum_bytes(const void* data, size_t n, uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t a = seed + kOdd1, b = seed ^ kOdd2, c = seed * kOdd1 + 1, d = ~seed;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    uint64_t w[4];
    std::memcpy(w, p + i, sizeof w);
    a = lane(a, w[0]);
    b = lane(b, w[1]);
    c = lane(c, w[2]);
    d = lane(d, w[3]);
  }
  uint64_t h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + n;
  for (; i < n; ++i) h = (h ^ p[i]) * kOdd1;
  h ^= h >> 33;
  h *= kOdd2;
  h ^= h >> 29;
  return h;
}

}  // namespace heapwise
