// The leaks computation (see leak_findings.h).
#include "leaks/leak_findings.h"

#include <algorithm>
#include <future>
#include <map>
#include <optional>

#include "analysis/allocation_sites.h"
#include "patterns/detectors.h"

namespace heapwise::leaks {

namespace {

// The newest id of a JS object (native embedder nodes get hashed ids).
uint32_t newest_user_id(const Snapshot& snap) {
  uint32_t m = 0;
  for (NodeIndex n = 0; n < snap.graph().node_count; ++n)
    if (is_user_object(snap, n)) m = std::max(m, snap.graph().node_id[n]);
  return m;
}

// A site is the allocating function (see frame_key), shown with the stack of
// its heaviest trace node.
std::vector<AllocationShare> allocation_sites(const Snapshot& last, const LeakGroup& grp) {
  struct Site {
    AllocationShare share;
    SiteTraces traces;
  };
  std::map<std::optional<FrameKey>, Site> by_site;  // nullopt: a trace node without a stack
  for (const auto& [trace, objects] : grp.allocation_traces) {
    auto stack = trace_stack(last, trace);
    Site& site = by_site[stack.empty() ? std::nullopt : std::optional(frame_key(stack[0]))];
    if (site.traces.add(stack, objects)) site.share.stack = std::move(stack);
    site.share.objects += objects;
  }
  std::vector<AllocationShare> sites;
  for (auto& [key, entry] : by_site) {
    AllocationShare& site = entry.share;
    site.share = static_cast<double>(site.objects) / static_cast<double>(std::max<uint64_t>(1, grp.traced));
    site.other_callers = entry.traces.other_callers();
    sites.push_back(std::move(site));
  }
  std::stable_sort(sites.begin(), sites.end(),
                   [](const AllocationShare& a, const AllocationShare& b) { return a.objects > b.objects; });
  return sites;
}

}  // namespace

LeakFindings::LeakFindings(std::vector<std::shared_ptr<const Snapshot>> series, std::vector<std::string> files,
                           const LeakAnalysisOptions& options, uint64_t top)
    : series_(std::move(series)), files_(std::move(files)), options_(options) {
  // The suspects read the final snapshot only: the second core finds them
  // while this one follows the series.
  auto suspects = std::async(std::launch::async, [this] { return scan_for_suspects(last()); });
  std::vector<const Snapshot*> views;
  for (const auto& s : series_) views.push_back(s.get());
  analysis_ = analyse_leaks(views, options_);
  for (const auto& grp : analysis_.groups)
    if (analysis_.passes(grp, options_)) leaks_.push_back(&grp);
  shown_ = top ? std::min<size_t>(leaks_.size(), top) : leaks_.size();
  for (size_t i = 0; i < shown_; ++i) {
    const LeakGroup& grp = *leaks_[i];
    verdicts_.push_back(explain_group(last(), grp));
    allocated_at_.push_back(allocation_sites(last(), grp));
  }
  suspects_ = suspects.get();

  // V8 gives new objects ever larger ids: a series whose newest id falls
  // is out of order (a shell glob sorts "final" before "target").
  std::vector<uint32_t> newest;
  for (const auto& s : series_) newest.push_back(newest_user_id(*s));
  for (size_t i = 1; i < series_.size(); ++i)
    if (newest[i] < newest[i - 1])
      series_warnings_.push_back(files_[i] + " looks older than " + files_[i - 1] +
                                 "; give the snapshots in the order they were taken");
  if (analysis_.shared_id_fraction < 0.05)
    series_warnings_.push_back(
        "the snapshots share almost no object ids; they are not of one process "
        "(or one inspector session), so nothing can be matched");
}

}  // namespace heapwise::leaks
