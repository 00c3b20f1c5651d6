// `heapwise leaks`: what leaks, what holds it, how to fix it, from a series
// of snapshots of one process (the 3-snapshot technique and more).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "leaks/leak_findings.h"
#include "report/leak_report.h"

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
  std::vector<std::unique_ptr<Snapshot>> series;
  for (const auto& file : args.positionals()) series.push_back(open_snapshot(file));
  const leaks::LeakFindings findings(std::move(series), args.positionals(), options, top);
  if (args.flag("--json"))
    std::cout << report::leak_report_json(findings).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  else
    report::print_leak_report(std::cout, std::cerr, findings);
  return args.flag("--fail-on-leak") && findings.found() ? kExitLeakFound : kExitOk;
}

}  // namespace

const Command kLeaksCommand{"leaks", "what leaks across snapshots, what holds it, how to fix it", kHelp, run};

}  // namespace heapwise::cli
