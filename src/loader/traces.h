// Where objects were made and how: the `locations` section (script, line,
// column of closures and objects) and the allocation traces
// (`trace_function_infos`, `trace_tree`) of snapshots written with
// allocation tracking.
#pragma once

#include <cstddef>
#include <cstdint>

#include "graph/heap_graph.h"
#include "loader/integer_arrays.h"
#include "loader/json_cursor.h"
#include "loader/snapshot_header.h"

namespace heapwise {

// Before the locations array at section_start is read: meta names the fields
// a location needs (or names none: the array is then dropped).
void check_location_fields(const Meta& meta, const char* section_start, JsonCursor& in);
// After a LocationTarget stored `count` numbers of `fields` each into
// g.locations: one Location per node, sorted by node (a later entry for the
// same node replaces an earlier one, as in DevTools).
void finish_locations(const Meta& meta, uint64_t count, size_t fields, const Section& section, HeapGraph& g);
// From the trace_function_infos array's numbers.
void build_trace_functions(const Meta& meta, const uint64_t* v, size_t count, const Section& section, HeapGraph& g);
// Reads the nested trace_tree array at in.pos (any depth, without recursion).
void read_trace_tree(JsonCursor& in, const Meta& meta, Section& section, HeapGraph& g);

}  // namespace heapwise
