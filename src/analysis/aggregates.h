// Per-class aggregates: the rows of DevTools' Summary view
// (buildAggregates + calculateClassesRetainedSize).
#pragma once

#include <string>
#include <vector>

#include "analysis/dominators.h"
#include "analysis/name_table.h"
#include "graph/heap_graph.h"
#include "graph/size_column.h"

namespace heapwise {

struct ClassAggregate {
  std::string key;   // DevTools' durable class key: ",Name" or "script,line,col,Name"
  std::string name;  // class name as shown
  uint64_t count = 0;
  int32_t distance = 0;                      // minimum over the instances
  uint64_t self_size = 0;                    // sum of shown self sizes
  uint64_t retained_size = 0;                // instances with no same-class dominator ancestor
  NodeIndex first_node = NodeIndex::none();  // first instance in node order
};

// row_of_node's value for a node in no row.
constexpr uint32_t kNoRow = 0xffffffffu;

struct ClassAggregates {
  std::vector<ClassAggregate> rows;  // in first-seen order (like DevTools' Map)
  BigArray<uint32_t> row_of_node;    // per node: index in rows, kNoRow when not listed (size 0)
};

// Nodes with shown self size 0 are not listed, as in DevTools.
ClassAggregates compute_class_aggregates(const HeapGraph& g, const NameTable& names,
                                         const BigArray<uint32_t>& class_index, const SizeColumn& self_sizes,
                                         const BigArray<int32_t>& distances, const DominatorTree& tree);

}  // namespace heapwise
