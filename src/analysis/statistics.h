// The Statistics view of DevTools (JSHeapSnapshot.calculateStatistics and
// HeapSnapshotView's pie chart records), on the shown (reattributed) sizes.
#pragma once

#include "analysis/dominators.h"
#include "graph/heap_graph.h"
#include "graph/size_column.h"

namespace heapwise {

struct HeapStatistics {
  uint64_t total = 0;         // root retained size + extra_native_bytes
  uint64_t native_total = 0;  // native nodes + extra_native_bytes
  uint64_t typed_arrays = 0;  // native "system / JSArrayBufferData"
  uint64_t v8heap_total = 0;  // total - native_total
  uint64_t code = 0;
  uint64_t strings = 0;    // string, concatenated string, sliced string
  uint64_t js_arrays = 0;  // Array objects plus their unshared elements stores
  uint64_t system = 0;     // hidden nodes
  // The pie chart's derived records.
  uint64_t other_js_objects() const { return v8heap_total - code - strings - js_arrays - system; }
  uint64_t other_non_js_objects() const { return native_total - typed_arrays; }
};

HeapStatistics compute_statistics(const HeapGraph& g, const SizeColumn& self_sizes, const DominatorTree& tree);

}  // namespace heapwise
