// The explorer's object questions: one object, its edges, its retainers
// and its children in the dominator tree (see queries.h).
#include <algorithm>

#include "analysis/heap_text.h"
#include "explore/queries.h"

namespace heapwise::explore {

namespace {

const char* dom_state_name(uint8_t s) { return s == 1 ? "attached" : s == 2 ? "detached" : ""; }

// The edges that point at n. A scan of the edge column (a retainers request
// took 28 ms at the median on a 19 M-object file) instead of the RetainerIndex,
// whose 8 bytes per edge would take the server well past the memory the
// summary command needs for the same file.
std::vector<EdgeIndex> retaining_edges(const HeapGraph& g, NodeIndex n) {
  std::vector<EdgeIndex> found;
  const uint32_t* to = g.edge_to.data();
  const uint32_t bits = g.edge_type_bits, target = static_cast<uint32_t>(n);
  for (uint32_t e = 0; e < g.edge_count; ++e)
    if ((to[e] >> bits) == target) found.push_back(e);
  return found;
}

nlohmann::ordered_json edge_json(const Snapshot& s, EdgeIndex e) {
  const HeapGraph& g = s.graph();
  return {
      {"type", g.edge_type_name(e)}, {"name", g.edge_name_text(e)}, {"weak", g.edge_type_of(e) == g.edge_types.weak}};
}

}  // namespace

nlohmann::ordered_json object_query(SnapshotSet& set, const Params& p) {
  const Snapshot& s = set.at(set.index(p("f")));
  const HeapGraph& g = s.graph();
  const NodeIndex n = node_of(s, p("id"));
  nlohmann::ordered_json out = node_json(s, n);
  out["raw_self_size"] = g.raw_self_size(n);
  out["detachedness"] = dom_state_name(s.dom_state(n));
  if (is_string_node(g, n)) {
    const std::string_view value = s.node_name(n);
    out["value"] = std::string(value.substr(0, 10000));
    out["value_length"] = value.size();
  }
  SourceLocation where{};
  out["created_at"] = source_location(s, n, &where) ? location_text(where) : "";
  auto& stack = out["allocation_stack"] = nlohmann::ordered_json::array();
  for (const auto& frame : allocation_stack(s, n)) {
    stack.push_back(frame_text(frame));
    if (stack.size() == 30) break;
  }
  out["edge_count"] = g.edges_of(n).size();
  out["retainer_count"] = retaining_edges(g, n).size();
  // Who alone keeps it alive, nearest first, up to the root.
  auto& chain = out["dominators"] = nlohmann::ordered_json::array();
  for (NodeIndex d = n; d != g.root && chain.size() < 200;) {
    d = s.dominator(d);
    chain.push_back(node_json(s, d));
  }
  return out;
}

nlohmann::ordered_json edges_query(SnapshotSet& set, const Params& p) {
  const Snapshot& s = set.at(set.index(p("f")));
  const HeapGraph& g = s.graph();
  const NodeIndex n = node_of(s, p("id"));
  std::vector<EdgeIndex> edges;
  for (EdgeIndex e : g.edges_of(n)) edges.push_back(e);
  std::stable_sort(edges.begin(), edges.end(), [&](EdgeIndex a, EdgeIndex b) {
    return s.retained_size(g.edge_target(a)) > s.retained_size(g.edge_target(b));
  });
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  out["count"] = edges.size();
  out["offset"] = page.offset;
  auto& list = out["edges"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < edges.size() && i < page.offset + page.limit; ++i) {
    auto e = edge_json(s, edges[i]);
    e["to"] = node_json(s, g.edge_target(edges[i]));
    list.push_back(std::move(e));
  }
  return out;
}

nlohmann::ordered_json retainers_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const Snapshot& s = set.at(f);
  const std::vector<uint32_t> ignored = ignored_of(p);
  const BigArray<int32_t>* distances = ignored.empty() ? nullptr : &set.distances_ignoring(f, ignored);
  auto distance = [&](NodeIndex n) { return distances ? (*distances)[n] : s.distance(n); };
  const NodeIndex n = node_of(s, p("id"));
  const HeapGraph& g = s.graph();
  struct Retainer {
    EdgeIndex edge;
    NodeIndex owner;
  };
  std::vector<Retainer> list;
  for (EdgeIndex e : retaining_edges(g, n)) list.push_back({e, g.edge_owner(e)});
  // As DevTools: closest to the roots first, unreachable ones last.
  std::stable_sort(list.begin(), list.end(), [&](const Retainer& a, const Retainer& b) {
    auto key = [&](const Retainer& r) {
      const int32_t d = distance(r.owner);
      return d < 0 ? INT32_MAX : d;
    };
    return key(a) < key(b);
  });
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  out["count"] = list.size();
  out["offset"] = page.offset;
  auto& rows = out["retainers"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < list.size() && i < page.offset + page.limit; ++i) {
    auto e = edge_json(s, list[i].edge);
    e["from"] = node_json(s, list[i].owner, distances);
    rows.push_back(std::move(e));
  }
  return out;
}

nlohmann::ordered_json dominated_query(SnapshotSet& set, const Params& p) {
  const Snapshot& s = set.at(set.index(p("f")));
  const NodeIndex n = p("id").empty() ? s.graph().root : node_of(s, p("id"));
  const DominatorTree& tree = s.dominator_tree();
  std::vector<NodeIndex> children;
  for (uint32_t c = tree.first_child[n]; c < tree.first_child[n + 1]; ++c) children.push_back(tree.children[c]);
  std::stable_sort(children.begin(), children.end(),
                   [&](NodeIndex a, NodeIndex b) { return s.retained_size(a) > s.retained_size(b); });
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  out["node"] = node_json(s, n);
  out["count"] = children.size();
  out["offset"] = page.offset;
  auto& list = out["children"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < children.size() && i < page.offset + page.limit; ++i)
    list.push_back(node_json(s, children[i]));
  return out;
}

}  // namespace heapwise::explore
