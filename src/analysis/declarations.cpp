// Declarations of reported names (see declarations.h).
#include "analysis/declarations.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "analysis/scripts.h"
#include "util/small_file.h"

namespace heapwise {

namespace {

// Scripts bigger than this are not read from disk (a snapshot names the
// files; one naming a device or a huge file must not stall the report).
constexpr uintmax_t kMaxScriptBytes = uintmax_t{16} << 20;

std::string script_text(std::string_view script_name, std::string_view snapshot_copy) {
  const std::string path = script_file_path(script_name);
  if (!path.empty() && path[0] == '/') {
    const auto file = read_small_file(path, kMaxScriptBytes);
    if (file && !snapshot_copy.empty() && file->compare(0, snapshot_copy.size(), snapshot_copy) == 0) return *file;
  }
  return std::string(snapshot_copy);
}

size_t offset_of(std::string_view text, uint32_t line, uint32_t column) {  // 1-based
  size_t at = 0;
  for (uint32_t l = 1; l < line && at < text.size(); ++l) {
    const size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) return text.size();
    at = nl + 1;
  }
  return std::min(text.size(), at + (column ? column - 1 : 0));
}

SourceLocation position_of(std::string_view text, size_t offset) {
  SourceLocation loc{0, 1, 1, ""};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

bool is_identifier(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) return false;
  return !std::isdigit(static_cast<unsigned char>(name[0]));
}

// An identifier inside a regex: only `$` is special among its characters.
std::string regex_escaped(std::string_view identifier) {
  std::string out;
  for (char c : identifier) out += c == '$' ? std::string("\\$") : std::string(1, c);
  return out;
}

}  // namespace

std::optional<size_t> find_declaration(std::string_view text, std::string_view name, size_t before) {
  if (!is_identifier(name)) return std::nullopt;
  const std::string escaped = regex_escaped(name);
  // NAME is the last group: its position is the declaration's.
  const std::regex declaration(
      "(?:\\b(?:const|let|var)\\s+(?:[{\\[][^;=]*?[\\s,{\\[:])?|\\bfunction\\s*\\*?\\s*|"
      "\\bclass\\s+)(" +
      escaped + ")(?![\\w$])");
  std::optional<size_t> first_after, last_before;
  const std::string haystack(text);
  for (auto it = std::sregex_iterator(haystack.begin(), haystack.end(), declaration); it != std::sregex_iterator();
       ++it) {
    const size_t at = static_cast<size_t>(it->position(1));
    if (at <= before)
      last_before = at;
    else if (!first_after)
      first_after = at;
  }
  return last_before ? last_before : first_after;
}

std::optional<size_t> find_property_declaration(std::string_view text, std::string_view name, size_t from) {
  if (!is_identifier(name)) return std::nullopt;
  const std::string escaped = regex_escaped(name);
  // `static NAME` (with or without an initializer), or `.NAME =` (not `==`).
  const std::regex declaration("\\bstatic\\s+(" + escaped + ")(?![\\w$])|\\.(" + escaped + ")\\s*=(?!=)");
  std::optional<size_t> first_after, last_before;
  const std::string haystack(text);
  for (auto it = std::sregex_iterator(haystack.begin(), haystack.end(), declaration); it != std::sregex_iterator();
       ++it) {
    const size_t at = static_cast<size_t>((*it)[1].matched ? it->position(1) : it->position(2));
    if (at >= from) {
      first_after = at;
      break;
    }
    last_before = at;
  }
  return first_after ? first_after : last_before;
}

namespace {

// Runs `find(text, offset)` on the script of `closure`, where `offset` is the
// closure's own position in the text (or `otherwise` when it has none), and
// turns the offset found into a location.
template <typename Find>
std::optional<SourceLocation> search_script_of(const Snapshot& s, NodeIndex closure, size_t otherwise,
                                               const Find& find) {
  const NodeIndex script = s.scripts().script_of(closure);
  if (script == NodeIndex::none()) return std::nullopt;
  const std::string text = script_text(s.scripts().name(script), s.scripts().source_prefix(script));
  size_t offset = std::min(otherwise, text.size());
  if (const Location* loc = s.graph().location_of(closure)) offset = offset_of(text, loc->line + 1, loc->column + 1);
  const std::optional<size_t> at = find(std::string_view(text), offset);
  if (!at) return std::nullopt;
  SourceLocation out = position_of(text, *at);
  out.script_name = std::string(s.scripts().name(script));
  return out;
}

}  // namespace

std::optional<SourceLocation> property_declaration(const Snapshot& s, NodeIndex owner, std::string_view name) {
  const HeapGraph& g = s.graph();
  if (g.node_type[owner] != g.node_types.closure) return std::nullopt;
  return search_script_of(
      s, owner, 0, [&](std::string_view text, size_t from) { return find_property_declaration(text, name, from); });
}

std::optional<SourceLocation> closure_variable_declaration(const Snapshot& s, NodeIndex context,
                                                           std::string_view name) {
  const HeapGraph& g = s.graph();
  const RetainerIndex& r = s.retainers();
  // A closure of that scope, preferably one with a position.
  NodeIndex closure = NodeIndex::none();
  for (uint32_t i = r.begin(context); i < r.end(context); ++i) {
    const NodeIndex owner = r.owner(i);
    const EdgeIndex e = r.edge(i);
    if (g.node_type[owner] != g.node_types.closure || !g.edge_has_string_name(e) ||
        g.strings[g.edge_name[e]] != "context" || s.scripts().script_of(owner) == NodeIndex::none())
      continue;
    closure = owner;
    if (g.location_of(owner)) break;
  }
  if (closure == NodeIndex::none()) return std::nullopt;
  // Without a position: the whole text comes before it.
  return search_script_of(s, closure, SIZE_MAX,
                          [&](std::string_view text, size_t before) { return find_declaration(text, name, before); });
}

}  // namespace heapwise
