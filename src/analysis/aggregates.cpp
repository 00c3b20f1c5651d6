// Summary rows (see aggregates.h).
#include "analysis/aggregates.h"

#include <string>
#include <unordered_map>

namespace heapwise {

namespace {

// DevTools keys rows of objects with a source location by "script,line,col,Name"
// (two classes of the same name in different files are different rows) and
// everything else by the class name's string index.
struct InternalKey {
  bool by_location;
  uint32_t class_index;
  Location where;
  bool operator==(const InternalKey& o) const {
    if (by_location != o.by_location || class_index != o.class_index) return false;
    return !by_location ||
           (where.script_id == o.where.script_id && where.line == o.where.line && where.column == o.where.column);
  }
};
struct InternalKeyHash {
  size_t operator()(const InternalKey& k) const {
    size_t h = k.class_index * 0x9e3779b97f4a7c15ull;
    if (k.by_location) h ^= (uint64_t{k.where.script_id} << 40) ^ (uint64_t{k.where.line} << 20) ^ k.where.column;
    return h;
  }
};

}  // namespace

ClassAggregates compute_class_aggregates(const HeapGraph& g, const NameTable& names,
                                         const BigArray<uint32_t>& class_index, const SizeColumn& self_sizes,
                                         const BigArray<int32_t>& distances, const DominatorTree& tree) {
  const uint32_t N = g.node_count;
  ClassAggregates out;
  out.row_of_node.resize(N);
  out.row_of_node.fill(kNoRow);

  // Row per internal key; the location-keyed rows are found by hashing,
  // name-keyed ones by a direct table on the class index (the common case).
  // Row + 1 per class index, 0 for none: zero is what fresh memory holds, so
  // only the pages of classes in use are ever touched.
  BigArray<uint32_t> row_plus_one_by_class(names.size());
  std::unordered_map<InternalKey, uint32_t, InternalKeyHash> row_by_location;
  std::vector<InternalKey> keys;
  std::vector<ClassAggregate> rows;

  // Locations are sorted by node: walk them alongside the nodes.
  size_t next_location = 0;
  for (NodeIndex n = 0; n < N; ++n) {
    const uint64_t self = self_sizes[n];
    if (self == 0) continue;
    const uint32_t cls = class_index[n];
    while (next_location < g.locations.size() && g.locations[next_location].node < n) ++next_location;
    const Location* loc = g.node_type[n] == g.node_types.object && next_location < g.locations.size() &&
                                  g.locations[next_location].node == n
                              ? &g.locations[next_location]
                              : nullptr;
    uint32_t row;
    if (loc) {
      InternalKey k{true, cls, *loc};
      auto [it, inserted] = row_by_location.try_emplace(k, static_cast<uint32_t>(rows.size()));
      row = it->second;
      if (inserted) {
        keys.push_back(k);
        rows.emplace_back();
      }
    } else {
      row = row_plus_one_by_class[cls] - 1;
      if (row == kNoRow) {
        row = static_cast<uint32_t>(rows.size());
        row_plus_one_by_class[cls] = row + 1;
        keys.push_back(InternalKey{false, cls, {}});
        rows.emplace_back();
      }
    }
    ClassAggregate& a = rows[row];
    if (a.count == 0) {
      a.distance = distances[n];
      a.first_node = n;
    } else if (distances[n] < a.distance) {
      a.distance = distances[n];
    }
    ++a.count;
    a.self_size += self;
    out.row_of_node[n] = row;
  }

  // Class retained size: walk the dominator tree and count an instance only
  // when no dominator-tree ancestor with a size belongs to the same row, so
  // nested instances are not counted twice. Explicit stack (depth can be millions).
  std::vector<uint8_t> row_open(rows.size(), 0);
  struct Frame {
    NodeIndex node;
    uint32_t next_child;
    bool opened;  // this node opened its row
  };
  BigArray<Frame> stack;
  auto enter = [&](NodeIndex n) {
    Frame f{n, tree.first_child[n], false};
    uint32_t row = out.row_of_node[n];
    if (row != kNoRow && !row_open[row]) {
      rows[row].retained_size += tree.retained[n];
      row_open[row] = 1;
      f.opened = true;
    }
    stack.push_back(f);
  };
  enter(g.root);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next_child < tree.first_child[f.node + 1]) {
      enter(tree.children[f.next_child++]);
    } else {
      if (f.opened) row_open[out.row_of_node[f.node]] = 0;
      stack.pop_back();
    }
  }

  // DevTools re-keys rows by the durable key; rows whose keys then collide
  // (the same name under two string indices) are merged the way a JS object
  // assignment does: the later row replaces the earlier one in its position.
  std::unordered_map<std::string, uint32_t> final_row;
  out.rows.reserve(rows.size());
  std::vector<uint32_t> remap(rows.size());
  for (uint32_t r = 0; r < rows.size(); ++r) {
    const InternalKey& k = keys[r];
    std::string name(names[k.class_index]);
    std::string key = k.by_location ? std::to_string(k.where.script_id) + "," + std::to_string(k.where.line) + "," +
                                          std::to_string(k.where.column) + "," + name
                                    : "," + name;
    rows[r].name = std::move(name);
    rows[r].key = key;
    auto [it, inserted] = final_row.try_emplace(std::move(key), static_cast<uint32_t>(out.rows.size()));
    if (inserted) {
      out.rows.push_back(std::move(rows[r]));
    } else {
      out.rows[it->second] = std::move(rows[r]);
    }
    remap[r] = it->second;
  }
  for (NodeIndex n = 0; n < N; ++n)
    if (out.row_of_node[n] != kNoRow) out.row_of_node[n] = remap[out.row_of_node[n]];
  return out;
}

}  // namespace heapwise
