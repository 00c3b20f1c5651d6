// NameTable: the snapshot's strings plus the names analyses add ("(system)",
// "{a, b}", "Detached <div>"), addressed by one index space as in DevTools,
// where added names get new indices even when the same text is already in
// the file. That matters: DevTools keys Summary rows by these indices.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "graph/string_table.h"

namespace heapwise {

class NameTable {
 public:
  explicit NameTable(const StringTable& base) : base_(base), base_size_(static_cast<uint32_t>(base.size())) {}
  std::string_view operator[](uint32_t i) const {
    return i < base_size_ ? base_[i] : std::string_view(added_[i - base_size_]);
  }
  // One more than the greatest index in use.
  uint32_t size() const { return base_size_ + static_cast<uint32_t>(added_.size()); }
  // The names added after the file's strings, in index order.
  const std::deque<std::string>& added() const { return added_; }
  // Appends a new name (always a new index).
  uint32_t add(std::string s) {
    added_.push_back(std::move(s));
    return base_size_ + static_cast<uint32_t>(added_.size() - 1);
  }

 private:
  const StringTable& base_;
  uint32_t base_size_;
  std::deque<std::string> added_;  // deque: views stay valid as it grows
};

}  // namespace heapwise
