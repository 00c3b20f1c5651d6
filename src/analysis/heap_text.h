// How nodes and edges read to a person: "Session @4123", "[12]",
// "cache (closure variable)", string previews, source locations and
// allocation stacks.
#pragma once

#include <string>
#include <vector>

#include "analysis/retainer_paths.h"
#include "analysis/snapshot.h"

namespace heapwise {

// The class, or for synthetic roots their name ("(Global handles)").
std::string display_class(const Snapshot& s, NodeIndex n);
// "Session @4123"; strings and closures get their value or name after it.
std::string node_label(const Snapshot& s, NodeIndex n, size_t preview_chars = 40);
// "userSessions", "[12]", "table (internal)", "count (closure variable)".
std::string edge_label(const Snapshot& s, EdgeIndex e);
// "global › userSessions: Map › table (internal): (system) › [12]: Session @4123".
// With max_steps, only the last max_steps steps, after "… (N steps)".
std::string path_text(const Snapshot& s, const RetainerPath& path, size_t max_steps = 0);
// The first `chars` characters of a string value, quoted and escaped for one line.
std::string string_preview(std::string_view text, size_t chars);

// Where an object or function was created (`locations`), when known.
struct SourceLocation {
  uint32_t script_id, line, column;  // line and column are 1-based here
  std::string script_name;           // from the allocation traces when they name the script
};
bool source_location(const Snapshot& s, NodeIndex n, SourceLocation* out);
// "src/app.js:12:5" (relative to the current directory when under it); when
// the script's file names a source map, the original position instead,
// followed by " (source map)" (or, with `mapped`, set there instead). A
// script without a name shows its id.
std::string position_text(std::string_view script_name, uint32_t script_id, uint32_t line, uint32_t column,
                          bool* mapped = nullptr);
std::string location_text(const SourceLocation& loc);

// The allocation stack of a node (innermost frame first) when the snapshot
// was written with allocation tracking; empty otherwise.
struct StackFrame {
  std::string function_name, script_name;
  uint32_t script_id, line, column;  // 1-based; 0 when unknown
};
std::vector<StackFrame> allocation_stack(const Snapshot& s, NodeIndex n);
// The stack of allocation trace node `trace_node_id` (innermost first).
std::vector<StackFrame> trace_stack(const Snapshot& s, uint32_t trace_node_id);
// "fn (src/app.js:12:5)"; "fn (src/app.ts:10:3, source map)" when mapped.
std::string frame_text(const StackFrame& f);

}  // namespace heapwise
