// Scripts of a snapshot (see scripts.h).
#include "analysis/scripts.h"

#include <filesystem>

namespace heapwise {

ScriptIndex::ScriptIndex(const HeapGraph& g) : g_(g) {
  for (const Location& loc : g.locations) {
    if (by_id_.count(loc.script_id) || g.node_type[loc.node] != g.node_types.closure) continue;
    const NodeIndex script = script_of(loc.node);
    if (script != NodeIndex::none()) by_id_.emplace(loc.script_id, script);
  }
}

NodeIndex ScriptIndex::target_named(NodeIndex n, std::string_view edge) const {
  for (EdgeIndex e : g_.edges_of(n))
    if (g_.edge_has_string_name(e) && g_.strings[g_.edge_name[e]] == edge) return g_.edge_target(e);
  return NodeIndex::none();
}

NodeIndex ScriptIndex::script_of(NodeIndex closure) const {
  const NodeIndex shared = target_named(closure, "shared");
  if (shared == NodeIndex::none()) return shared;
  // V8 names the edge after the field: "script_or_debug_info" (a debug info
  // when the function was debugged, which then has a "script"), or "script".
  NodeIndex script = target_named(shared, "script_or_debug_info");
  if (script == NodeIndex::none()) script = target_named(shared, "script");
  if (script != NodeIndex::none() && target_named(script, "source") == NodeIndex::none())
    script = target_named(script, "script");
  if (script == NodeIndex::none() || target_named(script, "source") == NodeIndex::none()) return NodeIndex::none();
  return script;
}

NodeIndex ScriptIndex::by_id(uint32_t script_id) const {
  const auto it = by_id_.find(script_id);
  return it == by_id_.end() ? NodeIndex::none() : it->second;
}

std::string_view ScriptIndex::name(NodeIndex script) const { return g_.name(script); }

std::string_view ScriptIndex::source_prefix(NodeIndex script) const {
  const NodeIndex source = target_named(script, "source");
  return source == NodeIndex::none() ? std::string_view() : g_.name(source);
}

std::string script_file_path(std::string_view script_name) {
  if (script_name.rfind("file://", 0) == 0) script_name.remove_prefix(7);
  return std::string(script_name);
}

std::string display_path(std::string_view script_name) {
  const std::string path = script_file_path(script_name);
  if (path.empty() || path[0] != '/') return path;
  // heapwise never changes its directory: read it once.
  static const std::string base = [] {
    std::error_code ec;
    const std::filesystem::path cwd = std::filesystem::current_path(ec);
    return ec ? std::string() : cwd.string() + "/";
  }();
  if (base.empty()) return path;
  if (path.rfind(base, 0) == 0) return path.substr(base.size());
  return path;
}

}  // namespace heapwise
