// Locations and allocation traces (see traces.h).
#include "loader/traces.h"

#include <algorithm>

namespace heapwise {

namespace {

[[noreturn]] void fail_in(const Section& s, std::string msg) { throw ParseFailure{s.begin, std::move(msg)}; }

}  // namespace

void build_locations(const Meta& meta, const uint64_t* v, size_t count, const Section& section, HeapGraph& g) {
  if (!meta.has_location_fields) return;
  const auto& f = meta.location_fields;
  int oi = index_of(f, "object_index"), si = index_of(f, "script_id"), li = index_of(f, "line"),
      ci = index_of(f, "column");
  size_t lf = f.size();
  if (oi < 0 || si < 0 || li < 0 || ci < 0 || lf == 0)
    fail_in(section, "snapshot.meta.location_fields lacks object_index, script_id, line or column");
  if (count % lf) fail_in(section, "the locations array length is not a multiple of location_fields");
  const uint64_t nf = meta.node_fields.size();
  std::vector<Location> locs;
  locs.reserve(count / lf);
  for (size_t i = 0; i < count; i += lf) {
    uint64_t obj = v[i + static_cast<size_t>(oi)];
    if (obj % nf || obj / nf >= meta.node_count)
      fail_in(section,
              "location #" + std::to_string(i / lf) + " object_index " + std::to_string(obj) + " is not a node");
    auto v32 = [&](int at) {
      return static_cast<uint32_t>(std::min<uint64_t>(v[i + static_cast<size_t>(at)], 0xffffffffu));
    };
    locs.push_back({static_cast<NodeIndex>(obj / nf), v32(si), v32(li), v32(ci)});
  }
  // One location per node; as in DevTools, a later entry replaces an earlier one.
  auto by_node = [](const Location& a, const Location& b) { return a.node < b.node; };
  if (!std::is_sorted(locs.begin(), locs.end(), by_node)) std::stable_sort(locs.begin(), locs.end(), by_node);
  g.locations.reserve(locs.size());
  for (size_t i = 0; i < locs.size(); ++i)
    if (i + 1 == locs.size() || locs[i + 1].node != locs[i].node) g.locations.push_back(locs[i]);
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
