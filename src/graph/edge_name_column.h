// EdgeNameColumn: each edge's name (a string index, or the index of an
// element or hidden edge) in three bytes when every name fits in 24 bits, as
// in any snapshot of fewer than 16 M strings whose arrays are shorter than
// that; in four otherwise. Names are read far less often than targets, and
// a byte less per edge is a twentieth of a loaded graph.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#include "util/big_array.h"

namespace heapwise {

static_assert(std::endian::native == std::endian::little, "packed names are read as little-endian words");

class EdgeNameColumn {
 public:
  EdgeNameColumn() = default;
  // Takes the names as the loader read them, packing them when they fit.
  explicit EdgeNameColumn(BigArray<uint32_t> names);
  // The two forms as stored (the binary cache writes and reads them whole):
  // exactly one is non-empty unless there are no edges (parts_fit).
  EdgeNameColumn(BigArray<uint8_t> packed, BigArray<uint32_t> wide, size_t size);
  static bool parts_fit(const BigArray<uint8_t>& packed, const BigArray<uint32_t>& wide, size_t size);

  uint32_t operator[](size_t e) const {
    if (packed_.empty()) return wide_[e];
    uint32_t v;
    std::memcpy(&v, packed_.data() + 3 * e, sizeof v);  // the array has a byte to spare at its end
    return v & 0xffffffu;
  }
  size_t size() const { return size_; }
  size_t bytes() const { return packed_.bytes() + wide_.bytes(); }
  const BigArray<uint8_t>& packed_part() const { return packed_; }
  const BigArray<uint32_t>& wide_part() const { return wide_; }

 private:
  BigArray<uint8_t> packed_;  // 3 bytes a name, little-endian, and one to spare
  BigArray<uint32_t> wide_;
  size_t size_ = 0;
};

}  // namespace heapwise
