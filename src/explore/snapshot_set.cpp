// The explorer's snapshots and their caches (see snapshot_set.h).
#include "explore/snapshot_set.h"

#include <algorithm>

#include "analysis/distances.h"
#include "explore/queries.h"

namespace heapwise::explore {

namespace {

constexpr size_t kBiggest = 100;
constexpr size_t kCachedClasses = 64;  // instance lists kept; then the cache starts over

// The `count` nodes with the largest retained size among those `keep` accepts.
template <typename Keep>
std::vector<NodeIndex> biggest(const Snapshot& s, size_t count, Keep keep) {
  std::vector<NodeIndex> out;
  auto smaller = [&](NodeIndex a, NodeIndex b) { return s.retained_size(a) > s.retained_size(b); };
  for (NodeIndex n = 0; n < s.graph().node_count; ++n) {
    if (!keep(n)) continue;
    if (out.size() < count) {
      out.push_back(n);
      std::push_heap(out.begin(), out.end(), smaller);
    } else if (s.retained_size(n) > s.retained_size(out.front())) {
      std::pop_heap(out.begin(), out.end(), smaller);
      out.back() = n;
      std::push_heap(out.begin(), out.end(), smaller);
    }
  }
  std::sort_heap(out.begin(), out.end(), smaller);
  return out;
}

}  // namespace

SnapshotSet::SnapshotSet(std::vector<std::shared_ptr<const Snapshot>> snapshots, std::vector<std::string> files)
    : snapshots_(std::move(snapshots)), files_(std::move(files)) {
  // What the first request of a kind would otherwise wait seconds for on a
  // big file is computed with the load: the scripts (every location), the
  // duplicated strings, the biggest objects and strings.
  for (size_t f = 0; f < snapshots_.size(); ++f) {
    snapshots_[f]->scripts();
    duplicates(f);
    biggest_strings(f);
    biggest_objects(f);
  }
}

size_t SnapshotSet::index(const std::string& text) const {
  if (text.empty()) return 0;
  if (text.size() > 6 || !all_digits(text)) throw QueryError(400, "f must be a file number, not '" + text + "'");
  const size_t i = std::stoul(text);
  if (i >= snapshots_.size())
    throw QueryError(404, "there is no file " + text + ": " + std::to_string(snapshots_.size()) + " are open");
  return i;
}

const std::vector<NodeIndex>& SnapshotSet::instances(size_t f, uint32_t row) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto key = std::make_pair(f, row);
  if (auto it = instances_.find(key); it != instances_.end()) return it->second;
  if (instances_.size() >= kCachedClasses) instances_.clear();
  const Snapshot& s = at(f);
  const auto& of_node = s.aggregates().row_of_node;
  std::vector<NodeIndex> list;
  for (NodeIndex n = 0; n < s.graph().node_count; ++n)
    if (of_node[n] == row) list.push_back(n);
  std::stable_sort(list.begin(), list.end(),
                   [&](NodeIndex a, NodeIndex b) { return s.retained_size(a) > s.retained_size(b); });
  return instances_.emplace(key, std::move(list)).first->second;
}

const std::vector<DuplicateString>& SnapshotSet::duplicates(size_t f) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = duplicates_.find(f);
  if (it == duplicates_.end()) it = duplicates_.emplace(f, find_duplicate_strings(at(f))).first;
  return it->second;
}

const std::vector<NodeIndex>& SnapshotSet::biggest_strings(size_t f) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = biggest_strings_.find(f);
  if (it == biggest_strings_.end()) {
    const Snapshot& s = at(f);
    it = biggest_strings_.emplace(f, biggest(s, kBiggest, [&](NodeIndex n) { return is_string_node(s.graph(), n); }))
             .first;
  }
  return it->second;
}

const std::vector<NodeIndex>& SnapshotSet::biggest_objects(size_t f) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = biggest_objects_.find(f);
  if (it == biggest_objects_.end()) {
    const Snapshot& s = at(f);
    const HeapGraph& g = s.graph();
    // What a program allocated: not the synthetic roots, nor V8's own (hidden) objects.
    auto user = [&](NodeIndex n) {
      const int t = g.node_type[n];
      return s.distance(n) > 0 && t != g.node_types.synthetic && t != g.node_types.hidden;
    };
    it = biggest_objects_.emplace(f, biggest(s, kBiggest, user)).first;
  }
  return it->second;
}

const std::vector<ClassDiff>& SnapshotSet::comparison(size_t base, size_t f) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto key = std::make_pair(base, f);
  auto it = comparisons_.find(key);
  if (it == comparisons_.end()) {
    auto rows = diff_snapshots(at(base), at(f));
    std::stable_sort(rows.begin(), rows.end(),
                     [](const ClassDiff& a, const ClassDiff& b) { return a.size_delta() > b.size_delta(); });
    it = comparisons_.emplace(key, std::move(rows)).first;
  }
  return it->second;
}

const IdSet& SnapshotSet::ids(size_t f) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = ids_.find(f);
  if (it == ids_.end()) it = ids_.emplace(f, IdSet(at(f).graph())).first;
  return it->second;
}

const BigArray<int32_t>& SnapshotSet::distances_ignoring(size_t f, const std::vector<uint32_t>& ignored) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto key = std::make_pair(f, ignored);
  if (ignoring_distances_.size() == 0 || ignoring_key_ != key) {
    const HeapGraph& g = at(f).graph();
    std::vector<uint8_t> flags(g.node_count, 0);
    for (uint32_t id : ignored)
      if (const NodeIndex n = at(f).find_node(ObjectId(id)); !n.is_none()) flags[n] = 1;
    WeakMapEdgeNames names(g);
    ignoring_distances_ = compute_distances(g, names, &flags);
    ignoring_key_ = std::move(key);
  }
  return ignoring_distances_;
}

const leaks::LeakFindings& SnapshotSet::leaks() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (snapshots_.size() < 3) throw QueryError(404, "the leak report needs three snapshots or more of one process");
  if (!leaks_) leaks_ = std::make_unique<leaks::LeakFindings>(snapshots_, files_, LeakAnalysisOptions{}, 10);
  return *leaks_;
}

}  // namespace heapwise::explore
