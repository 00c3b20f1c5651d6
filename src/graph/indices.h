// Typed indices. A node ordinal, an edge ordinal, a string index and V8's
// object id are all 32-bit numbers, and using one for another is an easy,
// silent bug. Each is a distinct one-field type with a none() value.
//
// They convert from and to uint32_t implicitly, so the graph's columns are
// indexed and the hot loops written as before, but never into each other:
// C++ applies at most one user-defined conversion, and EdgeIndex → uint32_t
// → NodeIndex would take two. So passing an edge where a node is expected,
// or an id where an ordinal is, does not compile.
#pragma once

#include <cstdint>
#include <functional>

namespace heapwise {

template <class Tag>
struct StrongIndex {
  static constexpr uint32_t kNoneValue = 0xffffffffu;
  uint32_t value = kNoneValue;

  constexpr StrongIndex() = default;
  constexpr StrongIndex(uint32_t v) : value(v) {}  // NOLINT: implicit by design (see above)
  constexpr operator uint32_t() const { return value; }
  static constexpr StrongIndex none() { return StrongIndex(); }
  constexpr bool is_none() const { return value == kNoneValue; }
  constexpr StrongIndex& operator++() {
    ++value;
    return *this;
  }
  constexpr StrongIndex operator++(int) {
    StrongIndex before = *this;
    ++value;
    return before;
  }
  // nlohmann::json (found by argument-dependent lookup): written as the number.
  template <class Json>
  friend void to_json(Json& j, StrongIndex i) {
    j = i.value;
  }
};

using NodeIndex = StrongIndex<struct NodeIndexTag>;      // node ordinal, 0..node_count-1
using EdgeIndex = StrongIndex<struct EdgeIndexTag>;      // edge ordinal, 0..edge_count-1
using StringIndex = StrongIndex<struct StringIndexTag>;  // index into the snapshot's strings
using ObjectId = StrongIndex<struct ObjectIdTag>;        // V8's heap object id (stable across snapshots)

}  // namespace heapwise

template <class Tag>
struct std::hash<heapwise::StrongIndex<Tag>> {
  size_t operator()(heapwise::StrongIndex<Tag> i) const noexcept { return std::hash<uint32_t>()(i.value); }
};
