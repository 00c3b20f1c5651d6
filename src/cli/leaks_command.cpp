// `heapwise leaks`: what leaks, what holds it, how to fix it, from a series
// of snapshots of one process (the 3-snapshot technique and more).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/heap_text.h"
#include "analysis/leak_groups.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "patterns/detectors.h"
#include "report/findings.h"
#include "report/format.h"

namespace heapwise::cli {

namespace {

const char kHelp[] =
    "Usage: heapwise leaks S1 S2 [S3 ...] [--min-size SIZE] [--top N] [--fail-on-leak] [--json]\n\n"
    "Finds what leaks between snapshots of one process, taken some time apart while\n"
    "it works (S1 the baseline, then the target, ..., the final one):\n"
    "  - leaked objects: allocated after S1, already there in S2 and still alive in\n"
    "    every later snapshot, reachable from the program's roots, not V8 internals;\n"
    "  - grouped by the shape of their shortest retainer path (the sequence of\n"
    "    edges and classes from the root, repeated steps collapsed);\n"
    "  - a group is a leak when the objects of its shape grow at every step and by\n"
    "    at least --min-size in all; groups are ranked by growth per step.\n"
    "With two snapshots only the growth between them is seen: weaker evidence.\n"
    "Each group gets a verdict from the leak-pattern detectors (growing collection,\n"
    "event listeners, timers, caches, closures, registries, object-keyed Maps) with\n"
    "the fix. The \"Suspects\" are the detectors' findings on the final snapshot alone.\n\n"
    "Options:\n"
    "  --min-size SIZE   growth a group needs to count as a leak (default 100KB)\n"
    "  --top N           leak groups to show (default 5)\n"
    "  --fail-on-leak    exit 1 when a group passes --min-size (for CI)\n"
    "  --json            machine-readable output\n";

std::string signed_size(double v) {
  return (v < 0 ? "-" : "+") + report::format_size(static_cast<uint64_t>(std::llround(std::fabs(v))));
}

int run(const std::vector<std::string>& argv) {
  Arguments args(argv, {{"--min-size", true}, {"--top", true}, {"--fail-on-leak", false}, {"--json", false}});
  if (args.help()) {
    std::cout << kHelp;
    return kExitOk;
  }
  if (args.positionals().size() < 2) throw UsageError("expects at least two snapshots (three or more is better)");
  LeakAnalysisOptions options;
  options.min_size = args.size("--min-size").value_or(options.min_size);
  const uint64_t top = args.uint_or("--top", 5);
  std::vector<std::unique_ptr<Snapshot>> owned;
  std::vector<const Snapshot*> series;
  for (const auto& file : args.positionals()) {
    owned.push_back(open_snapshot(file));
    series.push_back(owned.back().get());
  }
  const Snapshot& last = *series.back();
  const HeapGraph& g = last.graph();
  LeakAnalysis analysis = analyse_leaks(series, options);
  std::vector<const LeakGroup*> leaks;
  for (const auto& grp : analysis.groups)
    if (analysis.passes(grp, options)) leaks.push_back(&grp);
  const size_t shown = top ? std::min<size_t>(leaks.size(), top) : leaks.size();
  std::vector<std::optional<Finding>> verdicts;
  for (size_t i = 0; i < shown; ++i) verdicts.push_back(explain_group(last, *leaks[i]));
  const auto suspects = scan_for_suspects(last);
  const bool ids_reset = analysis.shared_id_fraction < 0.05;
  const int exit_code = args.flag("--fail-on-leak") && !leaks.empty() ? kExitLeakFound : kExitOk;

  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["snapshots"] = args.positionals();
    out["evidence"] = series.size() >= 3 ? "strong" : "weak";
    out["shared_id_fraction"] = analysis.shared_id_fraction;
    out["min_size"] = options.min_size;
    out["leaked_objects"] = analysis.candidates;
    out["groups_examined"] = analysis.groups.size();
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
      j["pattern"] = verdicts[i] ? nlohmann::ordered_json(report::finding_json(*verdicts[i], g)) : nlohmann::ordered_json();
      list.push_back(std::move(j));
    }
    auto& sus = out["suspects"] = nlohmann::ordered_json::array();
    for (const auto& f : suspects) sus.push_back(report::finding_json(f, g));
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return exit_code;
  }

  // V8 gives new objects ever larger ids: a series whose newest id falls
  // is out of order (a shell glob sorts "final" before "target").
  std::vector<uint32_t> newest_ids;
  for (const Snapshot* snap : series) {
    // JS objects only: native (embedder) nodes get hashed ids.
    uint32_t m = 0;
    for (NodeIndex n = 0; n < snap->graph().node_count; ++n)
      if (is_user_object(*snap, n)) m = std::max(m, snap->graph().node_id[n]);
    newest_ids.push_back(m);
  }
  for (size_t i = 1; i < series.size(); ++i)
    if (newest_ids[i] < newest_ids[i - 1])
      std::cerr << "heapwise: warning: " << args.positionals()[i] << " looks older than "
                << args.positionals()[i - 1] << "; give the snapshots in the order they were taken\n";
  if (ids_reset)
    std::cerr << "heapwise: warning: the snapshots share almost no object ids; they are not of one process "
                 "(or one inspector session), so nothing can be matched\n";
  if (series.size() == 2)
    std::cout << "Only two snapshots: growth between them is weaker evidence than a series of three or more.\n\n";
  if (leaks.empty()) {
    std::cout << "No leak: no group of objects allocated after the first snapshot grew at every step by "
              << report::format_size(options.min_size) << " or more (" << report::format_count(analysis.candidates)
              << " new objects still alive, in " << analysis.groups.size() << " groups).\n";
  } else {
    std::cout << leaks.size() << (leaks.size() == 1 ? " leak" : " leaks") << " found across " << series.size()
              << " snapshots";
    if (shown < leaks.size()) std::cout << " (top " << shown << ")";
    std::cout << "\n";
  }
  for (size_t i = 0; i < shown; ++i) {
    const LeakGroup& grp = *leaks[i];
    std::cout << "\n#" << i + 1 << "  " << grp.leaked_class << ": " << signed_size(grp.bytes_per_step())
              << " and +" << report::format_count(static_cast<uint64_t>(std::llround(grp.objects_per_step())))
              << " objects per snapshot\n";
    std::cout << "    held by  " << shape_text(grp.shape) << "\n";
    std::cout << "    example  " << path_text(last, grp.example_path) << "  ("
              << report::format_size(last.retained_size(grp.example)) << ")\n";
    std::cout << "    growth   ";
    for (size_t k = 0; k < grp.population.size(); ++k)
      std::cout << (k ? " → " : "") << report::format_count(grp.population[k]) << " ("
                << report::format_size(grp.population_bytes[k]) << ")";
    std::cout << "\n";
    if (verdicts[i]) report::print_finding(std::cout, *verdicts[i], "    ");
  }
  report::print_suspects(std::cout, suspects, args.positionals().back());
  return exit_code;
}

}  // namespace

const Command kLeaksCommand{"leaks", "what leaks across snapshots, what holds it, how to fix it", kHelp, run};

}  // namespace heapwise::cli
