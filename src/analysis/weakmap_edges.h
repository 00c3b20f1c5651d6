// Recognises V8's ephemeron edge names,
//   "<n> / part of key (<k> @<id>) -> value (<v> @<id>) pair in WeakMap (table @<id>)",
// which DevTools uses both for distances (skip the first of each pair) and
// for dominators (ignore the table -> value edge).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/heap_graph.h"

namespace heapwise {

struct WeakMapEdgeName {
  std::string_view duplicated_part;  // the name without its leading number
  std::optional<uint32_t> table_id;  // nullopt when it does not fit an id
};

// Parses one name; nullopt when it is not an ephemeron edge name.
std::optional<WeakMapEdgeName> parse_weakmap_edge_name(std::string_view name);

// Caches the parse per string index.
class WeakMapEdgeNames {
 public:
  explicit WeakMapEdgeNames(const HeapGraph& g) : g_(g), state_(g.strings.size(), 0) {}
  const WeakMapEdgeName* get(uint32_t name_index);

 private:
  const HeapGraph& g_;
  std::vector<uint8_t> state_;  // 0 unknown, 1 not a WeakMap name, 2 parsed
  std::unordered_map<uint32_t, WeakMapEdgeName> parsed_;
};

}  // namespace heapwise
