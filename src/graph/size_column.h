// SizeColumn: a byte size per node in 4 bytes, with the rare sizes of 4 GiB
// or more kept aside. Shown sizes are read everywhere and almost never that
// large, so this halves the column without limiting what a node may weigh.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>

#include "util/big_array.h"

namespace heapwise {

class SizeColumn {
 public:
  SizeColumn() = default;
  explicit SizeColumn(size_t n) : small_(n) {}
  uint64_t operator[](size_t i) const {
    const uint32_t v = small_[i];
    return v != kBig ? v : big_.at(static_cast<uint32_t>(i));
  }
  // Sets of small values on fresh (zero) entries touch only their own slot,
  // so two threads may set disjoint ranges; big values need one writer.
  static bool is_big(uint64_t v) { return v >= kBig; }
  // Sets an entry never set before. A small value is only written, not read
  // first: reading a fresh page maps the shared zero page, and the write
  // after it then costs a second fault and a TLB flush on every core.
  void set_fresh(size_t i, uint64_t v) {
    if (v < kBig) {
      small_[i] = static_cast<uint32_t>(v);
    } else {
      small_[i] = kBig;
      big_[static_cast<uint32_t>(i)] = v;
    }
  }
  void add(size_t i, uint64_t v) { set(i, (*this)[i] + v); }
  void set(size_t i, uint64_t v) {
    if (v < kBig && small_[i] == kBig) big_.erase(static_cast<uint32_t>(i));
    set_fresh(i, v);
  }
  size_t size() const { return small_.size(); }
  SizeColumn copy() const { return SizeColumn(small_.copy(), big_); }
  // The two parts as stored (the binary cache writes and reads them whole).
  const BigArray<uint32_t>& small_part() const { return small_; }
  const std::unordered_map<uint32_t, uint64_t>& big_part() const { return big_; }
  SizeColumn(BigArray<uint32_t> small, std::unordered_map<uint32_t, uint64_t> big)
      : small_(std::move(small)), big_(std::move(big)) {}
  size_t bytes() const { return small_.bytes() + big_.size() * (sizeof(uint32_t) + sizeof(uint64_t)); }

  // The value small_part() holds for a size kept in big_part().
  static constexpr uint32_t kBig = 0xffffffffu;

 private:
  BigArray<uint32_t> small_;
  std::unordered_map<uint32_t, uint64_t> big_;
};

}  // namespace heapwise
