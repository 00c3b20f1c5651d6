// Locations and allocation traces (see traces.h).
#include "loader/traces.h"

#include <algorithm>

namespace heapwise {

namespace {

[[noreturn]] void fail_in(const Section& s, std::string msg) { throw ParseFailure{s.begin, std::move(msg)}; }

}  // namespace

void check_location_fields(const Meta& meta, const char* section_start, JsonCursor& in) {
  if (!meta.has_location_fields) return;
  const auto& f = meta.location_fields;
  if (index_of(f, "object_index") < 0 || index_of(f, "script_id") < 0 || index_of(f, "line") < 0 ||
      index_of(f, "column") < 0)
    in.fail(section_start, "snapshot.meta.location_fields lacks object_index, script_id, line or column");
}

void finish_locations(const Meta& meta, uint64_t count, size_t fields, const Section& section, HeapGraph& g) {
  if (!meta.has_location_fields) return;
  if (count % fields) fail_in(section, "the locations array length is not a multiple of location_fields");
  auto& locs = g.locations;
  locs.resize(static_cast<size_t>(count / fields));
  // One location per node; as in DevTools, a later entry replaces an earlier one.
  auto by_node = [](const Location& a, const Location& b) { return a.node < b.node; };
  if (!std::is_sorted(locs.begin(), locs.end(), by_node)) {
    // A stable counting sort (nodes are few and known), in BigArrays: the
    // buffer std::stable_sort takes from malloc faults in 4 KiB at a time.
    BigArray<uint32_t> slot(static_cast<size_t>(g.node_count) + 1);
    for (const Location& l : locs) ++slot[l.node + 1];
    for (uint32_t i = 1; i <= g.node_count; ++i) slot[i] += slot[i - 1];
    BigArray<Location> sorted(locs.size());
    for (const Location& l : locs) sorted[slot[l.node]++] = l;
    locs = std::move(sorted);
  }
  size_t kept = 0;
  for (size_t i = 0; i < locs.size(); ++i)
    if (i + 1 == locs.size() || locs[i + 1].node != locs[i].node) locs[kept++] = locs[i];
  locs.resize(kept);
}

void build_trace_functions(const Meta& meta, const uint64_t* v, size_t count, const Section& section, HeapGraph& g) {
  const auto& f = meta.trace_function_info_fields;
  size_t n = f.size();
  if (n == 0) fail_in(section, "trace_function_infos without meta.trace_function_info_fields");
  if (count % n) fail_in(section, "the trace_function_infos length is not a multiple of its fields");
  int fid = index_of(f, "function_id"), nm = index_of(f, "name"), sn = index_of(f, "script_name"),
      sid = index_of(f, "script_id"), ln = index_of(f, "line"), col = index_of(f, "column");
  auto at = [&](size_t i, int k) -> uint32_t {
    return k < 0 ? 0 : static_cast<uint32_t>(std::min<uint64_t>(v[i + static_cast<size_t>(k)], 0xffffffffu));
  };
  for (size_t i = 0; i < count; i += n)
    g.trace_function_infos.push_back({at(i, fid), at(i, nm), at(i, sn), at(i, sid), at(i, ln), at(i, col)});
}

// trace_tree: [id, function_info_index, count, size, [children...], ...]
// (field order from meta.trace_node_fields), nested to any depth; walked
// with an explicit stack.
void read_trace_tree(JsonCursor& in, const Meta& meta, Section& section, HeapGraph& g) {
  const auto& f = meta.trace_node_fields;
  const size_t nf = f.size();
  const int children = index_of(f, "children"), fid = index_of(f, "id"), ffi = index_of(f, "function_info_index"),
            fcount = index_of(f, "count"), fsize = index_of(f, "size");
  if (children < 0 || fid < 0) in.fail(in.pos, "trace_tree without meta.trace_node_fields (id, children)");
  section.begin = in.off(in.pos);
  in.expect('[');
  std::vector<uint32_t> parents{kNoTraceNode};  // the node whose children list is open
  std::vector<uint64_t> values(nf, 0);
  size_t field = 0;
  for (;;) {
    in.skip_ws();
    if (!in.ensure(1)) in.fail(in.pos, "unexpected end of file inside \"trace_tree\"");
    char c = *in.pos;
    if (c == ']') {
      if (field != 0) in.fail(in.pos, "a trace_tree node is incomplete");
      ++in.pos;
      parents.pop_back();
      if (parents.empty()) break;
      field = static_cast<size_t>(children) + 1;  // the children array of the parent is done
      if (field == nf) field = 0;
    } else if (c == ',') {
      ++in.pos;
    } else if (c == '[') {
      if (static_cast<int>(field) != children) in.fail(in.pos, "unexpected array in \"trace_tree\"");
      ++in.pos;
      auto at = [&](int k) { return k < 0 ? 0 : values[static_cast<size_t>(k)]; };
      g.trace_nodes.push_back({static_cast<uint32_t>(at(fid)), static_cast<uint32_t>(at(ffi)),
                               static_cast<uint32_t>(at(fcount)), at(fsize), parents.back()});
      parents.push_back(static_cast<uint32_t>(g.trace_nodes.size() - 1));
      field = 0;
      if (parents.size() > 100000000) in.fail(in.pos, "trace_tree is nested too deeply");
    } else if (c >= '0' && c <= '9') {
      if (static_cast<int>(field) == children || field >= nf) in.fail(in.pos, "unexpected number in \"trace_tree\"");
      uint64_t v = 0;
      int digits = 0;
      in.ensure(24);
      while (in.pos < in.end() && *in.pos >= '0' && *in.pos <= '9') {
        if (++digits > 19) in.fail(in.pos, "number too large in \"trace_tree\"");
        v = v * 10 + static_cast<uint64_t>(*in.pos - '0');
        ++in.pos;
      }
      values[field++] = v;
    } else {
      in.fail(in.pos, "unexpected character in \"trace_tree\"");
    }
  }
  section.end = in.off(in.pos);
}

}  // namespace heapwise
