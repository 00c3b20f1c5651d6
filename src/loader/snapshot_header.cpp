// The "snapshot" header (see snapshot_header.h).
#include "loader/snapshot_header.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace heapwise {

namespace {

constexpr size_t kMaxHeaderBytes = 16u << 20;

// Where a key's text starts inside the captured header, for error offsets.
uint64_t key_offset(const std::string& text, uint64_t base, const char* key) {
  size_t at = text.find(std::string("\"") + key + "\"");
  return base + (at == std::string::npos ? 0 : at);
}

void resolve_type_codes(HeapGraph& g) {
  auto code = [](const std::vector<std::string>& names, const char* name) { return index_of(names, name); };
  const auto& n = g.node_type_names;
  auto& node_types = g.node_types;
  node_types.hidden = code(n, "hidden");
  node_types.array = code(n, "array");
  node_types.string = code(n, "string");
  node_types.object = code(n, "object");
  node_types.code = code(n, "code");
  node_types.closure = code(n, "closure");
  node_types.regexp = code(n, "regexp");
  node_types.number = code(n, "number");
  node_types.native = code(n, "native");
  node_types.synthetic = code(n, "synthetic");
  node_types.cons_string = code(n, "concatenated string");
  node_types.sliced_string = code(n, "sliced string");
  node_types.symbol = code(n, "symbol");
  node_types.bigint = code(n, "bigint");
  node_types.object_shape = code(n, "object shape");
  const auto& e = g.edge_type_names;
  auto& edge_types = g.edge_types;
  edge_types.context = code(e, "context");
  edge_types.element = code(e, "element");
  edge_types.property = code(e, "property");
  edge_types.internal = code(e, "internal");
  edge_types.hidden = code(e, "hidden");
  edge_types.shortcut = code(e, "shortcut");
  edge_types.weak = code(e, "weak");
}

}  // namespace

int index_of(const std::vector<std::string>& v, const char* name) {
  auto it = std::find(v.begin(), v.end(), name);
  return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

void read_header(JsonCursor& in, HeapGraph& g, Meta& meta) {
  if (!in.ensure(1) || *in.pos != '{') in.fail(in.pos, "the \"snapshot\" header must be an object");
  const uint64_t begin = in.off(in.pos);
  const std::string text = in.capture_value(kMaxHeaderBytes, "the \"snapshot\" header is larger than 16 MB");
  nlohmann::json h;
  uint64_t error_at = 0;
  std::string error;
  try {
    h = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    error_at = begin + (e.byte ? e.byte - 1 : 0);
    error = "malformed \"snapshot\" header";
  } catch (const nlohmann::json::exception& e) {
    // A number beyond a double (1e999) and the like: the library says which.
    error_at = begin;
    error = std::string("malformed \"snapshot\" header: ") + e.what();
  }
  if (!error.empty()) in.fail_at(error_at, error);
  auto bad = [&](const char* key, const std::string& why) { in.fail_at(key_offset(text, begin, key), why); };
  auto strings_of = [&](const nlohmann::json& m, const char* key, bool required, std::vector<std::string>& out) {
    if (!m.contains(key)) {
      if (required) bad("meta", std::string("snapshot.meta has no \"") + key + "\"");
      return false;
    }
    const auto& a = m[key];
    if (!a.is_array()) bad(key, std::string("snapshot.meta.") + key + " is not an array");
    for (const auto& s : a) {
      if (!s.is_string()) bad(key, std::string("snapshot.meta.") + key + " holds a non-string");
      out.push_back(s.get<std::string>());
    }
    return true;
  };
  auto count_of = [&](const char* key, bool required, uint64_t& out) {
    if (!h.contains(key)) {
      if (required) in.fail_at(begin, std::string("the \"snapshot\" header has no \"") + key + "\"");
      return;
    }
    if (!h[key].is_number_unsigned()) bad(key, std::string("snapshot.") + key + " is not an unsigned integer");
    out = h[key].get<uint64_t>();
  };
  if (!h.is_object() || !h.contains("meta") || !h["meta"].is_object())
    in.fail_at(begin, "the \"snapshot\" header has no \"meta\" object");
  const auto& m = h["meta"];
  strings_of(m, "node_fields", true, meta.node_fields);
  strings_of(m, "edge_fields", true, meta.edge_fields);
  meta.has_location_fields = strings_of(m, "location_fields", false, meta.location_fields);
  strings_of(m, "trace_function_info_fields", false, meta.trace_function_info_fields);
  strings_of(m, "trace_node_fields", false, meta.trace_node_fields);
  meta.has_sample_fields = strings_of(m, "sample_fields", false, meta.sample_fields);
  for (const char* f : {"type", "name", "id", "self_size", "edge_count"})
    if (index_of(meta.node_fields, f) < 0)
      bad("node_fields", std::string("snapshot.meta.node_fields lacks \"") + f + "\"");
  for (const char* f : {"type", "name_or_index", "to_node"})
    if (index_of(meta.edge_fields, f) < 0)
      bad("edge_fields", std::string("snapshot.meta.edge_fields lacks \"") + f + "\"");
  auto type_names = [&](const char* key, const std::vector<std::string>& fields, std::vector<std::string>& out) {
    if (!m.contains(key) || !m[key].is_array()) bad("meta", std::string("snapshot.meta has no \"") + key + "\" array");
    size_t at = static_cast<size_t>(index_of(fields, "type"));
    const auto& t = m[key];
    if (at >= t.size() || !t[at].is_array())
      bad(key, std::string("snapshot.meta.") + key + " has no list of type names");
    for (const auto& s : t[at]) {
      if (!s.is_string()) bad(key, std::string("snapshot.meta.") + key + " holds a non-string type name");
      out.push_back(s.get<std::string>());
    }
    if (out.empty() || out.size() > 255)
      bad(key, std::string("snapshot.meta.") + key + " must list 1 to 255 type names");
  };
  type_names("node_types", meta.node_fields, g.node_type_names);
  type_names("edge_types", meta.edge_fields, g.edge_type_names);
  count_of("node_count", true, meta.node_count);
  count_of("edge_count", true, meta.edge_count);
  count_of("trace_function_count", false, meta.trace_function_count);
  count_of("extra_native_bytes", false, g.extra_native_bytes);
  uint64_t root_index = 0;
  count_of("root_index", false, root_index);

  // Refuse claims the input cannot hold before allocating anything: every
  // number takes at least two bytes ("0,").
  const uint64_t cap = in.source().max_decoded_size();
  const uint64_t nf = meta.node_fields.size(), ef = meta.edge_fields.size();
  if (meta.node_count == 0) bad("node_count", "snapshot.node_count is 0: a snapshot has at least the root node");
  if (meta.node_count >= 0xffffffffu || meta.node_count > cap / (2 * nf))
    bad("node_count",
        "header claims " + std::to_string(meta.node_count) + " nodes, more than " +
            (in.source().compressed() ? std::string("a compressed file of ") : std::string("a file of ")) +
            std::to_string(in.source().file_size()) + " bytes can hold");
  if (meta.edge_count >= 0xffffffffu || meta.edge_count > cap / (2 * ef))
    bad("edge_count",
        "header claims " + std::to_string(meta.edge_count) + " edges, more than " +
            (in.source().compressed() ? std::string("a compressed file of ") : std::string("a file of ")) +
            std::to_string(in.source().file_size()) + " bytes can hold");
  if (root_index % nf != 0 || root_index / nf >= meta.node_count)
    bad("root_index", "snapshot.root_index " + std::to_string(root_index) + " is not a node");
  g.root = static_cast<NodeIndex>(root_index / nf);

  resolve_type_codes(g);
  const auto n = static_cast<size_t>(meta.node_count), e = static_cast<size_t>(meta.edge_count);
  g.node_count = static_cast<uint32_t>(n);
  g.edge_count = static_cast<uint32_t>(e);
  g.node_type.resize(n);
  g.node_name.resize(n);
  g.node_id.resize(n);
  g.raw_self_sizes = SizeColumn(n);
  g.first_edge.resize(n + 1);
  if (index_of(meta.node_fields, "trace_node_id") >= 0) g.trace_node_id.resize(n);
  if (index_of(meta.node_fields, "detachedness") >= 0) {
    g.detachedness.resize(n);
    g.detachedness_in_file = true;
  }
  while ((size_t{1} << g.edge_type_bits) < g.edge_type_names.size()) ++g.edge_type_bits;
  if (n >= (size_t{1} << (32 - g.edge_type_bits)))
    bad("node_count", "header claims " + std::to_string(n) + " nodes; heapwise handles up to " +
                          std::to_string(size_t{1} << (32 - g.edge_type_bits)) + " nodes with " +
                          std::to_string(g.edge_type_names.size()) + " edge types");
  g.edge_to.resize(e);
  if (meta.has_sample_fields) g.sample_field_count = static_cast<uint32_t>(meta.sample_fields.size());
}

}  // namespace heapwise
