// Snapshot comparison (see snapshot_diff.h).
#include "analysis/snapshot_diff.h"

#include <algorithm>
#include <unordered_map>

#include "graph/id_set.h"

namespace heapwise {

namespace {

struct Member {
  uint32_t id;
  uint64_t self;
  bool operator<(const Member& o) const { return id < o.id; }
};

// Per Summary row: its members sorted by id.
std::vector<std::vector<Member>> members_by_row(const Snapshot& s) {
  const auto& rows = s.aggregates().rows;
  std::vector<std::vector<Member>> out(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) out[r].reserve(rows[r].count);
  const HeapGraph& g = s.graph();
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    const uint32_t row = s.aggregates().row_of_node[n];
    if (row != kNoRow && s.self_size(n) > 0) out[row].push_back({g.node_id[n], s.self_size(n)});
  }
  for (auto& m : out) std::sort(m.begin(), m.end());
  return out;
}

}  // namespace

double shared_id_fraction(const Snapshot& before, const Snapshot& after) {
  return shared_id_fraction(before.graph(), IdSet(after.graph()));
}

std::vector<ClassDiff> diff_snapshots(const Snapshot& before, const Snapshot& after) {
  const auto a = members_by_row(before), b = members_by_row(after);
  const auto& rows_a = before.aggregates().rows;
  const auto& rows_b = after.aggregates().rows;
  std::unordered_map<std::string, size_t> row_in_a;
  for (size_t r = 0; r < rows_a.size(); ++r) row_in_a.emplace(rows_a[r].key, r);

  std::vector<ClassDiff> out;
  std::vector<bool> a_seen(rows_a.size(), false);
  auto compare = [&](const std::vector<Member>* base, const std::vector<Member>* now, ClassDiff d) {
    static const std::vector<Member> kEmpty;
    const auto& x = base ? *base : kEmpty;
    const auto& y = now ? *now : kEmpty;
    size_t i = 0, j = 0;
    while (i < x.size() || j < y.size()) {
      if (j == y.size() || (i < x.size() && x[i].id < y[j].id)) {
        ++d.deleted_count;
        d.freed_size += x[i++].self;
      } else if (i == x.size() || y[j].id < x[i].id) {
        ++d.new_count;
        d.allocated_size += y[j++].self;
      } else {
        ++i;
        ++j;
      }
    }
    if (d.new_count || d.deleted_count) out.push_back(std::move(d));
  };
  for (size_t r = 0; r < rows_b.size(); ++r) {
    auto it = row_in_a.find(rows_b[r].key);
    const std::vector<Member>* base = nullptr;
    if (it != row_in_a.end()) {
      base = &a[it->second];
      a_seen[it->second] = true;
    }
    compare(base, &b[r], ClassDiff{rows_b[r].key, rows_b[r].name});
  }
  for (size_t r = 0; r < rows_a.size(); ++r)
    if (!a_seen[r]) compare(&a[r], nullptr, ClassDiff{rows_a[r].key, rows_a[r].name});
  return out;
}

}  // namespace heapwise
