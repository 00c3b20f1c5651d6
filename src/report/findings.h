// Rendering pattern findings, shared by `leaks` and `stats`.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "graph/heap_graph.h"
#include "patterns/finding.h"

namespace heapwise::report {

nlohmann::ordered_json finding_json(const Finding& f, const HeapGraph& g);
void print_finding(std::ostream& out, const Finding& f, const std::string& indent);
// "Suspects in FILE" and each finding; nothing when there are none.
void print_suspects(std::ostream& out, const std::vector<Finding>& suspects, const std::string& file);

}  // namespace heapwise::report
