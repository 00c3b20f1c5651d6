// Pattern 7: a strong Map (or Set) keyed by objects that are otherwise done
// with (requests, sockets, DOM nodes) where a WeakMap (WeakSet) would let
// them go.
#include <algorithm>
#include <climits>

#include "analysis/heap_text.h"
#include "patterns/all_detectors.h"
#include "patterns/fix_text.h"
#include "patterns/path_view.h"
#include "util/format.h"

namespace heapwise {

namespace {

const char kFix[] =
    "Use a WeakMap (WeakSet) for data attached to objects: the entry goes away with its key. "
    "Or delete the entry when the key object is finished (map.delete(req) in the 'close' handler).";
const char kExample[] =
    "const requestMeta = new WeakMap();   // was: new Map()\nrequestMeta.set(req, { startedAt: Date.now() });";

bool is_primitive(const Snapshot& s, NodeIndex n) {
  const HeapGraph& g = s.graph();
  const int t = g.node_type[n];
  return t == g.node_types.string || t == g.node_types.cons_string || t == g.node_types.sliced_string ||
         t == g.node_types.number || t == g.node_types.hidden || t == g.node_types.symbol || t == g.node_types.bigint;
}

// The key of each entry of a Map/Set hash table: V8 stores entries as
// (key, value, chain) triples after a header, so keys sit at the lowest
// referenced index plus multiples of 3 (Sets: (key, chain) pairs).
struct TableEntries {
  NodeIndex table = NodeIndex::none();
  uint64_t object_keys = 0, keys = 0;
};

TableEntries table_entries(const Snapshot& s, NodeIndex map) {
  const HeapGraph& g = s.graph();
  TableEntries out;
  for (EdgeIndex e : g.edges_of(map))
    if (g.edge_has_string_name(e) && g.strings[g.edge_name[e]] == "table") out.table = g.edge_target(e);
  if (out.table.is_none()) return out;
  const uint32_t stride = s.class_name(map) == "Map" ? 3 : 2;
  long long first = LLONG_MAX;
  std::vector<std::pair<long long, NodeIndex>> slots;
  for (EdgeIndex e : g.edges_of(out.table)) {
    const std::string name = g.edge_name_text(e);
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    const long long idx = std::stoll(name.substr(0, 15));
    slots.emplace_back(idx, g.edge_target(e));
    first = std::min(first, idx);
  }
  // Small integer keys and values are not heap objects and leave no edge:
  // with a single column of edges present it cannot be told whether it holds
  // keys or values, so a Map only counts as object-keyed when both are seen.
  bool second_column = false;
  for (auto [idx, target] : slots) second_column = second_column || (idx - first) % stride == 1;
  if (stride == 3 && !second_column) return out;
  for (auto [idx, target] : slots) {
    if ((idx - first) % stride != 0) continue;
    ++out.keys;
    if (!is_primitive(s, target)) ++out.object_keys;
  }
  return out;
}

class ObjectKeyedMapDetector final : public LeakPatternDetector {
 public:
  const char* id() const override { return "object-keyed-map"; }

  std::vector<Finding> scan(const Snapshot& s) const override {
    const HeapGraph& g = s.graph();
    std::vector<Finding> out;
    for (NodeIndex n = 0; n < g.node_count; ++n) {
      if (!is_map_or_set(s, n) || s.distance(n) < 0 || s.retained_size(n) < (1u << 20)) continue;
      const TableEntries t = table_entries(s, n);
      if (t.object_keys < 1000 || t.object_keys * 2 < t.keys) continue;
      Finding f = snapshot_finding(
          id(), n, s.retained_size(n),
          "a " + std::string(s.class_name(n)) + " keyed by " + format_count(t.object_keys) + " objects",
          node_label(s, n), format_size(s.retained_size(n)) + " retained", kFix, kExample);
      out.push_back(f);
    }
    return out;
  }

  std::optional<Finding> explain(const Snapshot& s, const LeakGroup& group) const override {
    const auto h = collection_holder(s, group);
    if (!h || !is_map_or_set(s, h->node)) return std::nullopt;
    const NodeIndex map = h->node;
    const TableEntries t = table_entries(s, map);
    if (t.keys == 0 || t.object_keys * 2 < t.keys) return std::nullopt;
    const FixText fix = weak_collection_fix(std::string(s.class_name(map)), h->name);
    Finding f = group_verdict(
        id(), group,
        "a strong " + std::string(s.class_name(map)) + " keyed by objects keeps them (and their entries) alive",
        node_label(s, map) + " with " + format_count(t.object_keys) + " object keys", fix.advice, fix.example);
    f.kind = std::string(s.class_name(map)) + " keyed by objects";
    name_holder(f, s, h->steps, h->step);
    return f;
  }
};

}  // namespace

std::unique_ptr<LeakPatternDetector> make_object_keyed_map_detector() {
  return std::make_unique<ObjectKeyedMapDetector>();
}

}  // namespace heapwise
