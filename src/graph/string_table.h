// StringTable: the snapshot's decoded strings in one arena.
// Strings are stored as UTF-8; lone UTF-16 surrogates from `\uD800`-style
// escapes are kept as WTF-8 (3-byte sequences) so no information is lost.
#pragma once

#include <cstdint>
#include <string_view>

#include "graph/indices.h"
#include "util/big_array.h"

namespace heapwise {

class StringTable {
 public:
  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::string_view operator[](StringIndex i) const {
    return {chars_.data() + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
  }
  uint64_t total_bytes() const { return offsets_.empty() ? 0 : offsets_[offsets_.size() - 1]; }

  const BigArray<char>& chars() const { return chars_; }
  const BigArray<uint64_t>& offsets() const { return offsets_; }
  // Building (used by the loader and the cache).
  BigArray<char>& chars() { return chars_; }
  BigArray<uint64_t>& offsets() { return offsets_; }
  size_t memory_bytes() const { return chars_.bytes() + offsets_.bytes(); }

 private:
  BigArray<char> chars_;
  BigArray<uint64_t> offsets_;  // size()+1 entries once built
};

}  // namespace heapwise
