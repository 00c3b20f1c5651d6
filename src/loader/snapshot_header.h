// The "snapshot" header of a .heapsnapshot: the field layout of nodes,
// edges, locations and traces, the type names, and the counts. Read through
// a real JSON parser (it is small), checked, and used to size the graph's
// columns before the arrays are read; claims the input cannot hold are
// refused before anything is allocated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/heap_graph.h"
#include "loader/json_cursor.h"

namespace heapwise {

struct Meta {
  std::vector<std::string> node_fields, edge_fields, location_fields, trace_function_info_fields, trace_node_fields,
      sample_fields;
  uint64_t node_count = 0, edge_count = 0, trace_function_count = 0;
  bool has_sample_fields = false, has_location_fields = false;
};

// Position of `name` in v, or -1.
int index_of(const std::vector<std::string>& v, const char* name);

// Reads the header object at in.pos into meta and g (type names and codes,
// counts, root, extra native bytes), and allocates g's node and edge columns.
void read_header(JsonCursor& in, HeapGraph& g, Meta& meta);

}  // namespace heapwise
