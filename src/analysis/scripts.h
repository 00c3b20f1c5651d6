// The scripts of a snapshot, as the heap itself describes them. A closure's
// shared function info points at its Script object, which V8 names after the
// script (a file path, a file:// or node: URL) and whose `source` edge leads
// to its text: the first 1024 characters, since V8 cuts longer strings. The
// script ids of the `locations` section and of allocation traces are matched
// to Script objects through the closures that carry both.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "graph/heap_graph.h"

namespace heapwise {

class ScriptIndex {
 public:
  explicit ScriptIndex(const HeapGraph& g);

  // The Script object of a closure (JSFunction), or none.
  NodeIndex script_of(NodeIndex closure) const;
  // The Script object with V8 id `script_id`, or none.
  NodeIndex by_id(uint32_t script_id) const;
  // A Script object's name (path or URL) and the start of its source.
  std::string_view name(NodeIndex script) const;
  std::string_view source_prefix(NodeIndex script) const;

 private:
  NodeIndex target_named(NodeIndex n, std::string_view edge) const;

  const HeapGraph& g_;
  std::unordered_map<uint32_t, NodeIndex> by_id_;
};

// The file a script name stands for: a file:// URL becomes its path; other
// names (node:internal/..., evalmachine) are returned as they are.
std::string script_file_path(std::string_view script_name);
// A script name as a developer opens it: a file:// URL becomes its path, and
// a path under the current directory becomes relative to it.
std::string display_path(std::string_view script_name);

}  // namespace heapwise
