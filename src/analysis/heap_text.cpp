// Human-readable names of nodes, edges and paths (see heap_text.h).
#include "analysis/heap_text.h"

#include <cstdio>

#include "analysis/js_text.h"
#include "analysis/source_maps.h"

namespace heapwise {

std::string string_preview(std::string_view text, size_t chars) {
  std::string out = "\"";
  size_t shown = 0, i = 0;
  for (; i < text.size() && shown < chars; ++shown) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\\')
      out += "\\\\";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  out += '"';
  if (i < text.size()) out += "…";
  return out;
}

std::string display_class(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  if (g.node_type[n] == g.node_types.synthetic && !s.node_name(n).empty()) return std::string(s.node_name(n));
  return std::string(s.class_name(n));
}

std::string node_label(const Snapshot& s, NodeIndex n, size_t preview_chars) {
  const HeapGraph& g = s.graph();
  if (n == g.root) return "(root) @" + std::to_string(g.node_id[n]);
  std::string label(s.class_name(n));
  const int t = g.node_type[n];
  if (t == g.node_types.string || t == g.node_types.cons_string || t == g.node_types.sliced_string) {
    // V8 names cons and sliced strings by their kind, not their value.
    if (s.node_name(n) != s.class_name(n)) label += " " + string_preview(s.node_name(n), preview_chars);
  } else if (t == g.node_types.closure || t == g.node_types.native || t == g.node_types.synthetic ||
             t == g.node_types.hidden || t == g.node_types.code || t == g.node_types.array ||
             t == g.node_types.number) {
    std::string_view name = s.node_name(n);
    if (!name.empty() && name != s.class_name(n)) label += " " + std::string(name.substr(0, 80));
  }
  return label + " @" + std::to_string(g.node_id[n]);
}

std::string edge_label(const Snapshot& s, EdgeIndex e) {
  const HeapGraph& g = s.graph();
  const int t = g.edge_type_of(e);
  const std::string name = g.edge_name_text(e);
  if (t == g.edge_types.element) return "[" + name + "]";
  if (t == g.edge_types.property) return name;
  if (t == g.edge_types.context) return name + " (closure variable)";
  if (t == g.edge_types.internal) return name + " (internal)";
  if (t == g.edge_types.hidden) return "[" + name + "] (hidden)";
  if (t == g.edge_types.shortcut) return name + " (shortcut)";
  if (t == g.edge_types.weak) return name + " (weak)";
  return name + " (" + std::string(g.edge_type_name(e)) + ")";
}

std::string path_text(const Snapshot& s, const RetainerPath& path, size_t max_steps) {
  const HeapGraph& g = s.graph();
  std::string out;
  size_t first = 0;
  if (max_steps && path.size() > max_steps) {
    first = path.size() - max_steps;
    out = "… (" + std::to_string(first) + " steps)";
  }
  for (size_t i = first; i < path.size(); ++i) {
    const NodeIndex to = g.edge_target(path[i]);
    if (i == 0) {
      // The root's own edge says nothing; start at the root's child.
      out += display_class(s, to);
      if (path.size() == 1) out += " @" + std::to_string(g.node_id[to]);
      continue;
    }
    out += " › " + edge_label(s, path[i]) + ": ";
    out += i + 1 == path.size() ? node_label(s, to) : display_class(s, to);
  }
  return out;
}

namespace {

// The script's name from the heap's own Script objects, else from the
// allocation traces (which name the scripts they mention).
std::string script_name_for(const Snapshot& s, uint32_t script_id) {
  if (const NodeIndex script = s.scripts().by_id(script_id); script != NodeIndex::none())
    return std::string(s.scripts().name(script));
  const HeapGraph& g = s.graph();
  for (const auto& f : g.trace_function_infos)
    if (f.script_id == script_id) return std::string(g.strings[f.script_name]);
  return {};
}

}  // namespace

bool source_location(const Snapshot& s, NodeIndex n, SourceLocation* out) {
  const HeapGraph& g = s.graph();
  const Location* loc = g.location_of(n);
  if (!loc) return false;
  // The locations section is 0-based, as V8's script positions.
  *out = SourceLocation{loc->script_id, loc->line + 1, loc->column + 1, script_name_for(s, loc->script_id)};
  return true;
}

std::string position_text(std::string_view script_name, uint32_t script_id, uint32_t line, uint32_t column,
                          bool* mapped) {
  if (script_name.empty())
    return "script " + std::to_string(script_id) + ":" + std::to_string(line) + ":" + std::to_string(column);
  if (const auto original = original_position(script_name, line, column)) {
    if (mapped) *mapped = true;
    return display_path(original->source) + ":" + std::to_string(original->line) + ":" +
           std::to_string(original->column) + (mapped ? "" : " (source map)");
  }
  return display_path(script_name) + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string location_text(const SourceLocation& loc) {
  return position_text(loc.script_name, loc.script_id, loc.line, loc.column);
}

std::vector<StackFrame> allocation_stack(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  if (g.trace_node_id.empty() || g.trace_node_id[n] == 0) return {};
  return trace_stack(s, g.trace_node_id[n]);
}

std::vector<StackFrame> trace_stack(const Snapshot& s, uint32_t trace_node_id) {
  const HeapGraph& g = s.graph();
  std::vector<StackFrame> frames;
  uint32_t t = s.trace_node_index(trace_node_id);
  while (t != kNoTraceNode && frames.size() < 10000) {
    const TraceNode& node = g.trace_nodes[t];
    if (node.function_info_index < g.trace_function_infos.size()) {
      const TraceFunctionInfo& f = g.trace_function_infos[node.function_info_index];
      // V8 writes trace positions 1-based, 0 when unknown.
      frames.push_back(
          {std::string(g.strings[f.name]), std::string(g.strings[f.script_name]), f.script_id, f.line, f.column});
    }
    t = node.parent;
  }
  // The top of the trace tree is V8's synthetic "(root)" entry.
  if (!frames.empty() && frames.back().function_name == "(root)") frames.pop_back();
  return frames;
}

std::string frame_text(const StackFrame& f) {
  std::string name = f.function_name.empty() ? "(anonymous)" : f.function_name;
  if (f.line == 0)
    return name + " (" +
           (f.script_name.empty() ? "script " + std::to_string(f.script_id) : display_path(f.script_name)) + ")";
  bool mapped = false;
  const std::string where = position_text(f.script_name, f.script_id, f.line, f.column, &mapped);
  return name + " (" + where + (mapped ? ", source map)" : ")");
}

}  // namespace heapwise
