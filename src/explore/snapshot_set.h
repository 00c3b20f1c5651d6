// The snapshots `heapwise open` serves: loaded and analysed once, then
// asked small questions by the explorer page (explore/*_queries.h). What is
// costly to compute for a question (a class's instances sorted, the
// duplicated strings, a comparison, the leak report) is computed on first
// use and kept, so the page's next requests are fast.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "analysis/duplicate_strings.h"
#include "analysis/snapshot.h"
#include "analysis/snapshot_diff.h"
#include "graph/id_set.h"
#include "leaks/leak_findings.h"

namespace heapwise::explore {

// A question the page asked that cannot be answered (a bad id, a stale
// link): said to the user as is, with HTTP status `status`.
struct QueryError : std::runtime_error {
  QueryError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
  int status;
};

class SnapshotSet {
 public:
  SnapshotSet(std::vector<std::shared_ptr<const Snapshot>> snapshots, std::vector<std::string> files);

  size_t size() const { return snapshots_.size(); }
  const Snapshot& at(size_t i) const { return *snapshots_[i]; }
  const std::string& file(size_t i) const { return files_[i]; }
  // The file index of a request (?f=N), checked; throws QueryError.
  size_t index(const std::string& text) const;

  // The nodes of summary row `row` of file `f`, biggest retained first.
  const std::vector<NodeIndex>& instances(size_t f, uint32_t row);
  // The duplicated strings of file `f`, most wasted first.
  const std::vector<DuplicateString>& duplicates(size_t f);
  // The biggest strings and objects of file `f` (by retained size).
  const std::vector<NodeIndex>& biggest_strings(size_t f);
  const std::vector<NodeIndex>& biggest_objects(size_t f);
  // DevTools' Comparison of `base` with `f`.
  const std::vector<ClassDiff>& comparison(size_t base, size_t f);
  // The ids of file `f` (for "is this object new?").
  const IdSet& ids(size_t f);
  // The leak report on all the files, in order (three or more).
  const leaks::LeakFindings& leaks();
  // The distances of file `f` with the objects `ignored` (V8 ids) never
  // entered: DevTools' "ignore this retainer". The last set asked for is kept.
  const BigArray<int32_t>& distances_ignoring(size_t f, const std::vector<uint32_t>& ignored);

 private:
  std::vector<std::shared_ptr<const Snapshot>> snapshots_;
  std::vector<std::string> files_;
  std::mutex mutex_;  // guards the caches below (requests run one at a time; this keeps it safe if not)
  std::map<std::pair<size_t, uint32_t>, std::vector<NodeIndex>> instances_;
  std::map<size_t, std::vector<DuplicateString>> duplicates_;
  std::map<size_t, std::vector<NodeIndex>> biggest_strings_, biggest_objects_;
  std::map<std::pair<size_t, size_t>, std::vector<ClassDiff>> comparisons_;
  std::map<size_t, IdSet> ids_;
  std::unique_ptr<leaks::LeakFindings> leaks_;
  std::pair<size_t, std::vector<uint32_t>> ignoring_key_;
  BigArray<int32_t> ignoring_distances_;
};

}  // namespace heapwise::explore
