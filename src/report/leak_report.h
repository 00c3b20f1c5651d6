// The report of `heapwise leaks`, computed once and rendered as text or JSON:
// the command prints it, and `watch --hunt` prints it and keeps its JSON for
// /memory/report.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/leak_groups.h"
#include "patterns/finding.h"

namespace heapwise::report {

class LeakReport {
 public:
  // Loads and analyses the snapshots (the first is the baseline). Throws
  // what open_snapshot throws on bad input.
  LeakReport(std::vector<std::unique_ptr<Snapshot>> series, std::vector<std::string> files,
             const LeakAnalysisOptions& options, uint64_t top);

  bool found() const { return !leaks_.empty(); }
  nlohmann::ordered_json to_json() const;
  // Warnings (out-of-order series, unrelated snapshots) go to `warnings`.
  void print(std::ostream& out, std::ostream& warnings) const;

 private:
  std::vector<std::unique_ptr<Snapshot>> series_;
  std::vector<std::string> files_;
  LeakAnalysisOptions options_;
  LeakAnalysis analysis_;
  std::vector<const LeakGroup*> leaks_;  // groups that pass, biggest growth first
  size_t shown_ = 0;
  std::vector<std::optional<Finding>> verdicts_;  // for the shown groups
  std::vector<Finding> suspects_;
};

}  // namespace heapwise::report
