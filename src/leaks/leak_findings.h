// What `heapwise leaks` finds in a series of snapshots, computed once: the
// leak groups (analysis/leak_groups) that pass the threshold, a verdict from
// the pattern detectors for each one shown, the suspects of the last
// snapshot, and warnings about the series itself. report/leak_report renders
// it as text or JSON; the `leaks` command and `watch --hunt` both use it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/heap_text.h"
#include "analysis/leak_groups.h"
#include "analysis/snapshot.h"
#include "patterns/finding.h"

namespace heapwise::leaks {

// Where a share of a leak's objects were allocated (from allocation traces).
struct AllocationShare {
  std::vector<StackFrame> stack;  // innermost first
  uint64_t objects = 0;
  double share = 0;          // of the group's objects that have a trace
  size_t other_callers = 0;  // callers of the allocating function besides the one in `stack`
};

class LeakFindings {
 public:
  // `series`: the snapshots in the order taken (the first is the baseline),
  // `files`: their names; at most `top` leaks get a verdict (0: all).
  LeakFindings(std::vector<std::shared_ptr<const Snapshot>> series, std::vector<std::string> files,
               const LeakAnalysisOptions& options, uint64_t top);

  bool found() const { return !leaks_.empty(); }
  const std::vector<std::shared_ptr<const Snapshot>>& series() const { return series_; }
  const Snapshot& last() const { return *series_.back(); }
  const std::vector<std::string>& files() const { return files_; }
  const LeakAnalysisOptions& options() const { return options_; }
  const LeakAnalysis& analysis() const { return analysis_; }
  // Groups that pass, biggest growth first; the first shown() get verdicts.
  const std::vector<const LeakGroup*>& leaks() const { return leaks_; }
  size_t shown() const { return shown_; }
  const std::optional<Finding>& verdict(size_t i) const { return verdicts_[i]; }
  // The top allocation sites of shown leak i; empty without allocation traces.
  const std::vector<AllocationShare>& allocated_at(size_t i) const { return allocated_at_[i]; }
  const std::vector<Finding>& suspects() const { return suspects_; }
  // Problems with the series itself (order, unrelated snapshots), one sentence each.
  const std::vector<std::string>& series_warnings() const { return series_warnings_; }

 private:
  std::vector<std::shared_ptr<const Snapshot>> series_;
  std::vector<std::string> files_;
  LeakAnalysisOptions options_;
  LeakAnalysis analysis_;
  std::vector<const LeakGroup*> leaks_;
  size_t shown_ = 0;
  std::vector<std::optional<Finding>> verdicts_;
  std::vector<std::vector<AllocationShare>> allocated_at_;
  std::vector<Finding> suspects_;
  std::vector<std::string> series_warnings_;
};

}  // namespace heapwise::leaks
