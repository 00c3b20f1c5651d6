// Class names as DevTools' Summary shows them (calculateObjectNames and the
// inferred "interfaces" of plain Objects, e.g. "{cart, token}").
#pragma once

#include <string>
#include <vector>

#include "analysis/dom_state.h"
#include "analysis/name_table.h"
#include "graph/heap_graph.h"

namespace heapwise {

struct InterfaceDefinition {
  std::string name;                     // "{a, b}"
  std::vector<std::string> properties;  // raw property names, in first-seen order
};

struct ClassNames {
  BigArray<uint32_t> class_index;  // per node: NameTable index of its class name
  std::vector<InterfaceDefinition> interfaces;
};

ClassNames compute_class_names(const HeapGraph& g, const DomState& dom, NameTable& names);

// The interfaces DevTools would infer for this snapshot's plain Objects.
std::vector<InterfaceDefinition> infer_interface_definitions(const HeapGraph& g, const DomState& dom);

}  // namespace heapwise
