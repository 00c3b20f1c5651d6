// The leaks report (see leak_report.h).
#include "report/leak_report.h"

#include <algorithm>
#include <cmath>

#include "analysis/heap_text.h"
#include "patterns/detectors.h"
#include "report/findings.h"
#include "report/format.h"

namespace heapwise::report {

namespace {

std::string signed_size(double v) {
  return (v < 0 ? "-" : "+") + format_size(static_cast<uint64_t>(std::llround(std::fabs(v))));
}

// The newest id of a JS object (native embedder nodes get hashed ids).
uint32_t newest_user_id(const Snapshot& snap) {
  uint32_t m = 0;
  for (NodeIndex n = 0; n < snap.graph().node_count; ++n)
    if (is_user_object(snap, n)) m = std::max(m, snap.graph().node_id[n]);
  return m;
}

}  // namespace

LeakReport::LeakReport(std::vector<std::unique_ptr<Snapshot>> series, std::vector<std::string> files,
                       const LeakAnalysisOptions& options, uint64_t top)
    : series_(std::move(series)), files_(std::move(files)), options_(options) {
  std::vector<const Snapshot*> views;
  for (const auto& s : series_) views.push_back(s.get());
  analysis_ = analyse_leaks(views, options_);
  for (const auto& grp : analysis_.groups)
    if (analysis_.passes(grp, options_)) leaks_.push_back(&grp);
  shown_ = top ? std::min<size_t>(leaks_.size(), top) : leaks_.size();
  const Snapshot& last = *series_.back();
  for (size_t i = 0; i < shown_; ++i) verdicts_.push_back(explain_group(last, *leaks_[i]));
  suspects_ = scan_for_suspects(last);
}

nlohmann::ordered_json LeakReport::to_json() const {
  const Snapshot& last = *series_.back();
  const HeapGraph& g = last.graph();
  nlohmann::ordered_json out;
  out["snapshots"] = files_;
  out["evidence"] = series_.size() >= 3 ? "strong" : "weak";
  out["shared_id_fraction"] = analysis_.shared_id_fraction;
  out["min_size"] = options_.min_size;
  out["leaked_objects"] = analysis_.candidates;
  out["groups_examined"] = analysis_.groups.size();
  auto& list = out["leaks"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < shown_; ++i) {
    const LeakGroup& grp = *leaks_[i];
    nlohmann::ordered_json j;
    j["rank"] = i + 1;
    j["class"] = grp.leaked_class;
    j["path"] = shape_text(grp.shape);
    j["example_path"] = path_text(last, grp.example_path);
    j["example_id"] = g.node_id[grp.example];
    j["leaked_objects"] = grp.count;
    j["leaked_retained_size"] = grp.retained_size;
    j["population"] = grp.population;
    j["population_bytes"] = grp.population_bytes;
    j["objects_per_step"] = grp.objects_per_step();
    j["bytes_per_step"] = grp.bytes_per_step();
    j["pattern"] = verdicts_[i] ? finding_json(*verdicts_[i], g) : nlohmann::ordered_json();
    list.push_back(std::move(j));
  }
  auto& sus = out["suspects"] = nlohmann::ordered_json::array();
  for (const auto& f : suspects_) sus.push_back(finding_json(f, g));
  return out;
}

void LeakReport::print(std::ostream& out, std::ostream& warnings) const {
  const Snapshot& last = *series_.back();
  // V8 gives new objects ever larger ids: a series whose newest id falls
  // is out of order (a shell glob sorts "final" before "target").
  std::vector<uint32_t> newest;
  for (const auto& s : series_) newest.push_back(newest_user_id(*s));
  for (size_t i = 1; i < series_.size(); ++i)
    if (newest[i] < newest[i - 1])
      warnings << "heapwise: warning: " << files_[i] << " looks older than " << files_[i - 1]
               << "; give the snapshots in the order they were taken\n";
  if (analysis_.shared_id_fraction < 0.05)
    warnings << "heapwise: warning: the snapshots share almost no object ids; they are not of one process "
                "(or one inspector session), so nothing can be matched\n";
  if (series_.size() == 2)
    out << "Only two snapshots: growth between them is weaker evidence than a series of three or more.\n\n";
  if (leaks_.empty()) {
    out << "No leak: no group of objects allocated after the first snapshot grew at every step by "
        << format_size(options_.min_size) << " or more (" << format_count(analysis_.candidates)
        << " new objects still alive, in " << analysis_.groups.size() << " groups).\n";
  } else {
    out << leaks_.size() << (leaks_.size() == 1 ? " leak" : " leaks") << " found across " << series_.size()
        << " snapshots";
    if (shown_ < leaks_.size()) out << " (top " << shown_ << ")";
    out << "\n";
  }
  for (size_t i = 0; i < shown_; ++i) {
    const LeakGroup& grp = *leaks_[i];
    out << "\n#" << i + 1 << "  " << grp.leaked_class << ": " << signed_size(grp.bytes_per_step()) << " and +"
        << format_count(static_cast<uint64_t>(std::llround(grp.objects_per_step()))) << " objects per snapshot\n";
    out << "    held by  " << shape_text(grp.shape) << "\n";
    out << "    example  " << path_text(last, grp.example_path) << "  (" << format_size(last.retained_size(grp.example))
        << ")\n";
    out << "    growth   ";
    for (size_t k = 0; k < grp.population.size(); ++k)
      out << (k ? " → " : "") << format_count(grp.population[k]) << " (" << format_size(grp.population_bytes[k]) << ")";
    out << "\n";
    if (verdicts_[i]) print_finding(out, *verdicts_[i], "    ");
  }
  print_suspects(out, suspects_, files_.back());
}

}  // namespace heapwise::report
