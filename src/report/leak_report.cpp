// The leaks report (see leak_report.h).
#include "report/leak_report.h"

#include <algorithm>
#include <cmath>

#include "analysis/heap_text.h"
#include "report/findings.h"
#include "util/format.h"

namespace heapwise::report {

namespace {

std::string signed_size(double v) {
  return (v < 0 ? "-" : "+") + format_size(static_cast<uint64_t>(std::llround(std::fabs(v))));
}

}  // namespace

nlohmann::ordered_json leak_report_json(const leaks::LeakFindings& findings) {
  const Snapshot& last = findings.last();
  const LeakAnalysis& analysis = findings.analysis();
  const HeapGraph& g = last.graph();
  nlohmann::ordered_json out;
  out["snapshots"] = findings.files();
  out["evidence"] = findings.series().size() >= 3 ? "strong" : "weak";
  out["shared_id_fraction"] = analysis.shared_id_fraction;
  out["min_size"] = findings.options().min_size;
  out["leaked_objects"] = analysis.candidates;
  out["groups_examined"] = analysis.groups.size();
  const auto& leaks = findings.leaks();
  const size_t shown = findings.shown();
  auto& list = out["leaks"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < shown; ++i) {
    const LeakGroup& grp = *leaks[i];
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
    j["pattern"] = findings.verdict(i) ? finding_json(*findings.verdict(i), g) : nlohmann::ordered_json();
    list.push_back(std::move(j));
  }
  auto& sus = out["suspects"] = nlohmann::ordered_json::array();
  for (const auto& f : findings.suspects()) sus.push_back(finding_json(f, g));
  return out;
}

void print_leak_report(std::ostream& out, std::ostream& warnings, const leaks::LeakFindings& findings) {
  const Snapshot& last = findings.last();
  const LeakAnalysis& analysis = findings.analysis();
  const auto& leaks = findings.leaks();
  const size_t shown = findings.shown();
  for (const auto& w : findings.series_warnings()) warnings << "heapwise: warning: " << w << "\n";
  if (findings.series().size() == 2)
    out << "Only two snapshots: growth between them is weaker evidence than a series of three or more.\n\n";
  if (leaks.empty()) {
    out << "No leak: no group of objects allocated after the first snapshot grew at every step by "
        << format_size(findings.options().min_size) << " or more (" << format_count(analysis.candidates)
        << " new objects still alive, in " << analysis.groups.size() << " groups).\n";
  } else {
    out << leaks.size() << (leaks.size() == 1 ? " leak" : " leaks") << " found across " << findings.series().size()
        << " snapshots";
    if (shown < leaks.size()) out << " (top " << shown << ")";
    out << "\n";
  }
  for (size_t i = 0; i < shown; ++i) {
    const LeakGroup& grp = *leaks[i];
    out << "\n#" << i + 1 << "  " << grp.leaked_class << ": " << signed_size(grp.bytes_per_step()) << " and +"
        << format_count(static_cast<uint64_t>(std::llround(grp.objects_per_step()))) << " objects per snapshot\n";
    out << "    held by  " << shape_text(grp.shape) << "\n";
    out << "    example  " << path_text(last, grp.example_path) << "  (" << format_size(last.retained_size(grp.example))
        << ")\n";
    out << "    growth   ";
    for (size_t k = 0; k < grp.population.size(); ++k)
      out << (k ? " → " : "") << format_count(grp.population[k]) << " (" << format_size(grp.population_bytes[k]) << ")";
    out << "\n";
    if (findings.verdict(i)) print_finding(out, *findings.verdict(i), "    ");
  }
  print_suspects(out, findings.suspects(), findings.files().back());
}

}  // namespace heapwise::report
