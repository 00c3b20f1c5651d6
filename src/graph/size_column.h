// SizeColumn: a byte size per node in 4 bytes, with the rare sizes of 4 GiB
// or more kept aside. Shown sizes are read everywhere and almost never that
// large, so this halves the column without limiting what a node may weigh.
#pragma once

#include <cstdint>
#include <unordered_map>

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
  void set(size_t i, uint64_t v) {
    if (v < kBig) {
      if (small_[i] == kBig) big_.erase(static_cast<uint32_t>(i));
      small_[i] = static_cast<uint32_t>(v);
    } else {
      small_[i] = kBig;
      big_[static_cast<uint32_t>(i)] = v;
    }
  }
  size_t size() const { return small_.size(); }
  size_t bytes() const { return small_.bytes() + big_.size() * (sizeof(uint32_t) + sizeof(uint64_t)); }

 private:
  static constexpr uint32_t kBig = 0xffffffffu;
  BigArray<uint32_t> small_;
  std::unordered_map<uint32_t, uint64_t> big_;
};

}  // namespace heapwise
