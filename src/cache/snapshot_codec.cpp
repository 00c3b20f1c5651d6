// Snapshot <-> cache entry (see snapshot_codec.h). encode and decode list the
// same fields in the same order; keep them side by side when adding one (and
// raise kFormatVersion in cache_file.cpp).
#include "cache/snapshot_codec.h"

#include <string>
#include <vector>

namespace heapwise::cache {

namespace {

void put_strings(EntryWriter& out, const auto& strings) {
  out.put_u64(strings.size());
  for (const auto& s : strings) out.put_string(s);
}

std::vector<std::string> get_strings(EntryReader& in) {
  std::vector<std::string> strings(in.get_count(8));  // each string has at least its length
  for (auto& s : strings) s = in.get_string();
  return strings;
}

template <typename T>
void put_plain(EntryWriter& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.put_bytes(&v, sizeof v);
}

template <typename T>
void get_plain(EntryReader& in, T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  in.get_bytes(&v, sizeof v);
}

uint32_t get_u32(EntryReader& in) {
  const uint64_t v = in.get_u64();
  if (v > UINT32_MAX) throw CorruptEntry("a 32-bit field holds " + std::to_string(v));
  return static_cast<uint32_t>(v);
}

void put_size_column(EntryWriter& out, const SizeColumn& c) {
  out.put_array(c.small_part());
  out.put_u64(c.big_part().size());
  for (const auto& [node, size] : c.big_part()) {
    out.put_u64(node);
    out.put_u64(size);
  }
}

SizeColumn get_size_column(EntryReader& in) {
  BigArray<uint32_t> small;
  in.get_array(small);
  std::unordered_map<uint32_t, uint64_t> big;
  for (size_t i = in.get_count(16); i > 0; --i) {
    const uint32_t node = get_u32(in);
    const uint64_t size = in.get_u64();
    if (node >= small.size() || small[node] != SizeColumn::kBig || !SizeColumn::is_big(size))
      throw CorruptEntry("a size column's large entries do not match it");
    big[node] = size;
  }
  size_t marked = 0;
  for (uint32_t v : small) marked += v == SizeColumn::kBig;
  if (marked != big.size()) throw CorruptEntry("a size column's large entries do not match it");
  return SizeColumn(std::move(small), std::move(big));
}

void encode_graph(const HeapGraph& g, EntryWriter& out) {
  put_strings(out, g.node_type_names);
  put_strings(out, g.edge_type_names);
  put_plain(out, g.node_types);
  put_plain(out, g.edge_types);
  out.put_u64(g.extra_native_bytes);
  out.put_u64(g.root);
  out.put_u64(g.node_count);
  out.put_array(g.node_type);
  out.put_array(g.node_name);
  out.put_array(g.node_id);
  put_size_column(out, g.raw_self_sizes);
  out.put_array(g.first_edge);
  out.put_array(g.trace_node_id);
  out.put_array(g.detachedness);
  out.put_u64(g.detachedness_in_file);
  out.put_u64(g.edge_count);
  out.put_array(g.edge_name.packed_part());
  out.put_array(g.edge_name.wide_part());
  out.put_array(g.edge_to);
  out.put_u64(g.edge_type_bits);
  out.put_array(g.strings.chars());
  out.put_array(g.strings.offsets());
  out.put_array(g.locations);
  out.put_vector(g.trace_function_infos);
  out.put_vector(g.trace_nodes);
  out.put_vector(g.samples);
  out.put_u64(g.sample_field_count);
}

std::unique_ptr<HeapGraph> decode_graph(EntryReader& in) {
  auto g = std::make_unique<HeapGraph>();
  g->node_type_names = get_strings(in);
  g->edge_type_names = get_strings(in);
  get_plain(in, g->node_types);
  get_plain(in, g->edge_types);
  g->extra_native_bytes = in.get_u64();
  g->root = get_u32(in);
  g->node_count = get_u32(in);
  in.get_array(g->node_type);
  in.get_array(g->node_name);
  in.get_array(g->node_id);
  g->raw_self_sizes = get_size_column(in);
  in.get_array(g->first_edge);
  in.get_array(g->trace_node_id);
  in.get_array(g->detachedness);
  g->detachedness_in_file = in.get_u64() != 0;
  g->edge_count = get_u32(in);
  BigArray<uint8_t> packed_names;
  BigArray<uint32_t> wide_names;
  in.get_array(packed_names);
  in.get_array(wide_names);
  if (!EdgeNameColumn::parts_fit(packed_names, wide_names, g->edge_count))
    throw CorruptEntry("its edge names do not fit the edges");
  g->edge_name = EdgeNameColumn(std::move(packed_names), std::move(wide_names), g->edge_count);
  in.get_array(g->edge_to);
  g->edge_type_bits = get_u32(in);
  in.get_array(g->strings.chars());
  in.get_array(g->strings.offsets());
  in.get_array(g->locations);
  in.get_vector(g->trace_function_infos);
  in.get_vector(g->trace_nodes);
  in.get_vector(g->samples);
  g->sample_field_count = get_u32(in);
  return g;
}

void encode_analyses(const Snapshot& s, EntryWriter& out) {
  const SnapshotAnalyses& a = s.analyses();
  put_strings(out, s.names().added());
  out.put_array(a.dom.state);
  out.put_u64(a.dom.renamed.size());
  for (const auto& [node, name] : a.dom.renamed) {
    out.put_u64(node);
    out.put_u64(name);
  }
  put_size_column(out, a.self_sizes);
  out.put_array(a.distances);
  out.put_array(a.class_names.class_index);
  out.put_u64(a.class_names.interfaces.size());
  for (const InterfaceDefinition& d : a.class_names.interfaces) {
    out.put_string(d.name);
    put_strings(out, d.properties);
  }
  put_size_column(out, a.dominators.retained);
  out.put_array(a.dominators.first_child);
  out.put_array(a.dominators.children);
  out.put_u64(a.aggregates.rows.size());
  for (const ClassAggregate& r : a.aggregates.rows) {
    out.put_string(r.key);
    out.put_string(r.name);
    out.put_u64(r.count);
    out.put_u64(static_cast<uint32_t>(r.distance));
    out.put_u64(r.self_size);
    out.put_u64(r.retained_size);
    out.put_u64(r.first_node);
  }
  out.put_array(a.aggregates.row_of_node);
  put_plain(out, a.statistics);
}

SnapshotAnalyses decode_analyses(EntryReader& in, std::vector<std::string>& added_names) {
  SnapshotAnalyses a;
  added_names = get_strings(in);
  in.get_array(a.dom.state);
  for (size_t i = in.get_count(16); i > 0; --i) {
    const uint32_t node = get_u32(in);
    a.dom.renamed[node] = get_u32(in);
  }
  a.self_sizes = get_size_column(in);
  in.get_array(a.distances);
  in.get_array(a.class_names.class_index);
  a.class_names.interfaces.resize(in.get_count(16));
  for (InterfaceDefinition& d : a.class_names.interfaces) {
    d.name = in.get_string();
    d.properties = get_strings(in);
  }
  a.dominators.retained = get_size_column(in);
  in.get_array(a.dominators.first_child);
  in.get_array(a.dominators.children);
  a.aggregates.rows.resize(in.get_count(56));
  for (ClassAggregate& r : a.aggregates.rows) {
    r.key = in.get_string();
    r.name = in.get_string();
    r.count = in.get_u64();
    r.distance = static_cast<int32_t>(get_u32(in));
    r.self_size = in.get_u64();
    r.retained_size = in.get_u64();
    r.first_node = get_u32(in);
  }
  in.get_array(a.aggregates.row_of_node);
  get_plain(in, a.statistics);
  return a;
}

// What a command may index with, checked once (linear in the graph).
void check_links(const HeapGraph& g, const SnapshotAnalyses& a, size_t name_count) {
  const size_t n = g.node_count, e = g.edge_count, strings = g.strings.size();
  auto require = [](bool ok, const char* what) {
    if (!ok) throw CorruptEntry(std::string("its ") + what + " do not fit the graph");
  };
  require(g.node_type.size() == n && g.node_name.size() == n && g.node_id.size() == n && g.raw_self_sizes.size() == n &&
              g.first_edge.size() == n + 1 && (g.trace_node_id.empty() || g.trace_node_id.size() == n) &&
              (g.detachedness.empty() || g.detachedness.size() == n) && g.edge_name.size() == e &&
              g.edge_to.size() == e && (n == 0 || g.root < n) && g.edge_type_bits <= 8,
          "columns");
  require(!g.strings.offsets().empty(), "strings");
  const auto& offsets = g.strings.offsets();
  require(offsets[0] == 0 && offsets[offsets.size() - 1] <= g.strings.chars().size(), "strings");
  for (size_t i = 1; i < offsets.size(); ++i) require(offsets[i - 1] <= offsets[i], "strings");
  require(g.first_edge[0] == 0 && g.first_edge[n] == e, "nodes");
  require((a.dom.state.empty() || a.dom.state.size() == n) && a.self_sizes.size() == n && a.distances.size() == n &&
              a.class_names.class_index.size() == n && a.dominators.retained.size() == n &&
              a.dominators.first_child.size() == n + 1 && a.aggregates.row_of_node.size() == n,
          "analyses");
  const auto& t = a.dominators;
  // One pass over the nodes checks the graph's columns and the analyses'.
  for (size_t i = 0; i < n; ++i) {
    require(
        g.node_type[i] < g.node_type_names.size() && g.node_name[i] < strings && g.first_edge[i] <= g.first_edge[i + 1],
        "nodes");
    require(a.class_names.class_index[i] < name_count && t.first_child[i] <= t.first_child[i + 1] &&
                (a.aggregates.row_of_node[i] == kNoRow || a.aggregates.row_of_node[i] < a.aggregates.rows.size()),
            "analyses");
  }
  for (EdgeIndex i = 0; i < e; ++i)
    require(g.edge_target(i) < n && static_cast<size_t>(g.edge_type_of(i)) < g.edge_type_names.size() &&
                (!g.edge_has_string_name(i) || g.edge_name[i] < strings),
            "edges");
  for (const Location& l : g.locations) require(l.node < n, "locations");
  for (const TraceNode& node : g.trace_nodes)
    require(node.function_info_index < g.trace_function_infos.size() &&
                (node.parent == kNoTraceNode || node.parent < g.trace_nodes.size()),
            "allocation traces");
  for (const TraceFunctionInfo& f : g.trace_function_infos)
    require(f.name < strings && f.script_name < strings, "allocation traces");
  for (const auto& [node, name] : a.dom.renamed) require(node < n && name < name_count, "DOM names");
  require(t.first_child[0] == 0 && t.first_child[n] == t.children.size(), "dominator children");
  for (uint32_t c : t.children) require(c < n, "dominator children");
  for (const ClassAggregate& r : a.aggregates.rows) require(r.first_node.is_none() || r.first_node < n, "classes");
}

}  // namespace

void encode_snapshot(const Snapshot& snapshot, EntryWriter& out) {
  encode_graph(snapshot.graph(), out);
  encode_analyses(snapshot, out);
}

std::unique_ptr<Snapshot> decode_snapshot(EntryReader& in) {
  std::unique_ptr<HeapGraph> graph = decode_graph(in);
  std::vector<std::string> added_names;
  SnapshotAnalyses analyses = decode_analyses(in, added_names);
  in.finish();
  check_links(*graph, analyses, graph->strings.size() + added_names.size());
  return std::make_unique<Snapshot>(std::move(graph), added_names, std::move(analyses), in.backing());
}

}  // namespace heapwise::cache
