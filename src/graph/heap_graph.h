// HeapGraph: the immutable, compact node/edge/string store of one heap snapshot.
//
// Struct-of-arrays indexed by node ordinal (0..N-1) and edge ordinal (0..E-1),
// never by V8 id. Field positions and type names come from the file's meta;
// the well-known type codes are resolved once here (-1 when a producer lacks
// one). Analyses never modify the graph; they produce their own arrays.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/string_table.h"
#include "util/big_array.h"

namespace heapwise {

using NodeIndex = uint32_t;  // node ordinal
using EdgeIndex = uint32_t;  // edge ordinal
constexpr uint32_t kNoNode = 0xffffffffu;

// Well-known node type codes of this file (-1: the file has no such type).
struct NodeTypeCodes {
  int hidden = -1, array = -1, string = -1, object = -1, code = -1, closure = -1, regexp = -1,
      number = -1, native = -1, synthetic = -1, cons_string = -1, sliced_string = -1,
      symbol = -1, bigint = -1, object_shape = -1;
};
struct EdgeTypeCodes {
  int context = -1, element = -1, property = -1, internal = -1, hidden = -1, shortcut = -1,
      weak = -1;
};

// Where an object or closure was created (the `locations` section).
struct Location {
  NodeIndex node;
  uint32_t script_id, line, column;
};

// One node of the allocation-trace tree (`trace_tree`).
struct TraceNode {
  uint32_t id, function_info_index, count;
  uint64_t size;
  uint32_t parent;  // index into trace_nodes, kNoNode for the top
};
struct TraceFunctionInfo {
  uint32_t function_id, name, script_name, script_id, line, column;  // name/script_name: string indices
};

struct HeapGraph {
  // --- meta ---
  std::vector<std::string> node_type_names, edge_type_names;
  NodeTypeCodes nt;
  EdgeTypeCodes et;
  uint64_t extra_native_bytes = 0;
  NodeIndex root = 0;

  // --- nodes ---
  uint32_t node_count = 0;
  BigArray<uint8_t> node_type;
  BigArray<uint32_t> node_name;       // string index
  BigArray<uint32_t> node_id;         // V8 object id
  BigArray<uint32_t> node_self_size;  // kBigSize: look up big_self_sizes
  std::unordered_map<NodeIndex, uint64_t> big_self_sizes;
  BigArray<uint32_t> first_edge;      // node_count+1 entries
  BigArray<uint32_t> trace_node_id;   // empty when the file has no such field
  BigArray<uint8_t> detachedness;     // empty when the file has no such field

  // --- edges ---
  uint32_t edge_count = 0;
  BigArray<uint32_t> edge_name;  // string index, or the index for element/hidden edges
  // Target ordinal and edge type packed in one word: (target << edge_type_bits) | type.
  // Edge types need 3 bits in V8 files, so this saves a byte column per edge
  // and keeps both in one cache line; it limits a file to 2^29 nodes.
  BigArray<uint32_t> edge_to;
  uint32_t edge_type_bits = 0;

  StringTable strings;

  std::vector<Location> locations;  // sorted by node, one per node
  std::vector<TraceFunctionInfo> trace_function_infos;
  std::vector<TraceNode> trace_nodes;
  std::vector<uint64_t> samples;  // raw pairs, as in the file
  uint32_t sample_field_count = 0;

  static constexpr uint32_t kBigSize = 0xffffffffu;

  uint64_t self_size(NodeIndex n) const {
    uint32_t s = node_self_size[n];
    return s != kBigSize ? s : big_self_sizes.at(n);
  }
  std::string_view name(NodeIndex n) const { return strings[node_name[n]]; }
  std::string_view type_name(NodeIndex n) const { return node_type_names[node_type[n]]; }
  bool is_type(NodeIndex n, int code) const { return node_type[n] == code; }
  int edge_type_of(EdgeIndex e) const { return static_cast<int>(edge_to[e] & ((1u << edge_type_bits) - 1)); }
  NodeIndex edge_target(EdgeIndex e) const { return edge_to[e] >> edge_type_bits; }
  std::string_view edge_type_name(EdgeIndex e) const { return edge_type_names[edge_type_of(e)]; }
  // Element and hidden edges carry an index, all others a string.
  bool edge_has_string_name(EdgeIndex e) const {
    const int t = edge_type_of(e);
    return t != et.element && t != et.hidden;
  }
  std::string edge_name_text(EdgeIndex e) const {
    return edge_has_string_name(e) ? std::string(strings[edge_name[e]]) : std::to_string(edge_name[e]);
  }
  const Location* location_of(NodeIndex n) const;
  // Owner of edge e (binary search over first_edge).
  NodeIndex edge_owner(EdgeIndex e) const;
  size_t memory_bytes() const;
};

}  // namespace heapwise
