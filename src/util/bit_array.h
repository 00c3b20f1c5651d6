// BitArray: a flag per index in 64-bit words. A pass that asks a flag once
// per edge at random places keeps a bit per node in the processor's cache
// where a byte per node would not fit, and costs an eighth of the memory.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/big_array.h"

namespace heapwise {

class BitArray {
 public:
  BitArray() = default;
  explicit BitArray(size_t n) : words_((n + 63) / 64) {}

  bool operator[](size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  void set(size_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  void clear() { words_.clear(); }
  // Whole words, for passes that split the bits between threads at word
  // boundaries or merge two arrays.
  BigArray<uint64_t>& words() { return words_; }
  const BigArray<uint64_t>& words() const { return words_; }

 private:
  BigArray<uint64_t> words_;
};

}  // namespace heapwise
