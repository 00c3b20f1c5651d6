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
#include <vector>

#include "graph/edge_name_column.h"
#include "graph/indices.h"
#include "graph/size_column.h"
#include "graph/string_table.h"
#include "util/big_array.h"

namespace heapwise {

// Well-known node type codes of this file (-1: the file has no such type).
struct NodeTypeCodes {
  int hidden = -1, array = -1, string = -1, object = -1, code = -1, closure = -1, regexp = -1, number = -1, native = -1,
      synthetic = -1, cons_string = -1, sliced_string = -1, symbol = -1, bigint = -1, object_shape = -1;
};
struct EdgeTypeCodes {
  int context = -1, element = -1, property = -1, internal = -1, hidden = -1, shortcut = -1, weak = -1;
};

// Where an object or closure was created (the `locations` section).
struct Location {
  NodeIndex node;
  uint32_t script_id, line, column;
};

// One node of the allocation-trace tree (`trace_tree`).
constexpr uint32_t kNoTraceNode = 0xffffffffu;  // "no such entry of trace_nodes"
struct TraceNode {
  uint32_t id, function_info_index, count;
  uint64_t size;
  uint32_t parent;  // index into trace_nodes, kNoTraceNode for the top
};
struct TraceFunctionInfo {
  uint32_t function_id, name, script_name, script_id, line, column;  // name/script_name: string indices
};

struct HeapGraph {
  // --- meta ---
  std::vector<std::string> node_type_names, edge_type_names;
  NodeTypeCodes node_types;
  EdgeTypeCodes edge_types;
  uint64_t extra_native_bytes = 0;
  NodeIndex root = 0;

  // --- nodes ---
  uint32_t node_count = 0;
  BigArray<uint8_t> node_type;
  BigArray<uint32_t> node_name;   // StringIndex
  BigArray<uint32_t> node_id;     // ObjectId
  SizeColumn raw_self_sizes;      // as written by V8 (DevTools shows Snapshot::self_size)
  BigArray<uint32_t> first_edge;  // EdgeIndex; node_count+1 entries
  // Columns most files hold only zeros in (a Node.js heap without allocation
  // tracking): empty then, as when the file has no such field.
  BigArray<uint32_t> trace_node_id;
  BigArray<uint8_t> detachedness;
  bool detachedness_in_file = false;  // DevTools then trusts it over "Detached " names

  // --- edges ---
  uint32_t edge_count = 0;
  EdgeNameColumn edge_name;  // string index, or the index for element/hidden edges
  // Target ordinal and edge type packed in one word: (target << edge_type_bits) | type.
  // Edge types need 3 bits in V8 files, so this saves a byte column per edge
  // and keeps both in one cache line; it limits a file to 2^29 nodes.
  BigArray<uint32_t> edge_to;
  uint32_t edge_type_bits = 0;

  StringTable strings;

  BigArray<Location> locations;  // sorted by node, one per node
  std::vector<TraceFunctionInfo> trace_function_infos;
  std::vector<TraceNode> trace_nodes;
  std::vector<uint64_t> samples;  // raw pairs, as in the file
  uint32_t sample_field_count = 0;

  // The edges a node owns, in file order: for (EdgeIndex e : g.edges_of(n)).
  class EdgeRange {
   public:
    class iterator {
     public:
      explicit iterator(uint32_t e) : e_(e) {}
      EdgeIndex operator*() const { return e_; }
      iterator& operator++() {
        ++e_;
        return *this;
      }
      bool operator!=(const iterator& o) const { return e_ != o.e_; }

     private:
      uint32_t e_;
    };
    EdgeRange(uint32_t begin, uint32_t end) : begin_(begin), end_(end) {}
    iterator begin() const { return iterator(begin_); }
    iterator end() const { return iterator(end_); }
    uint32_t size() const { return end_ - begin_; }

   private:
    uint32_t begin_, end_;
  };
  EdgeRange edges_of(NodeIndex n) const { return {first_edge[n], first_edge[n + 1]}; }

  // The size V8 wrote for the node (DevTools moves some sizes between
  // nodes before showing them: use Snapshot::self_size for what it shows).
  uint64_t raw_self_size(NodeIndex n) const { return raw_self_sizes[n]; }
  ObjectId id(NodeIndex n) const { return node_id[n]; }
  std::string_view name(NodeIndex n) const { return strings[node_name[n]]; }
  std::string_view type_name(NodeIndex n) const { return node_type_names[node_type[n]]; }
  int edge_type_of(EdgeIndex e) const { return static_cast<int>(edge_to[e] & ((1u << edge_type_bits) - 1)); }
  NodeIndex edge_target(EdgeIndex e) const { return edge_to[e] >> edge_type_bits; }
  std::string_view edge_type_name(EdgeIndex e) const { return edge_type_names[edge_type_of(e)]; }
  // Element and hidden edges carry an index, all others a string.
  bool edge_has_string_name(EdgeIndex e) const {
    const int t = edge_type_of(e);
    return t != edge_types.element && t != edge_types.hidden;
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
