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

const char kDescription[] =
    "Finds what leaks between snapshots of one process, taken some time apart while\n"
    "it works (S1 the baseline, then the target, ..., the final one):\n"
    "  - leaked objects: allocated after S1, already there in S2 and still alive in\n"
    "    every later snapshot, reachable from the program's roots, not V8 internals;\n"
    "  - grouped by the shape of their shortest retainer path (the sequence of\n"
    "    edges and classes from the root, repeated steps collapsed);\n"
    "  - a group is a leak when the objects of its shape grow at every step and by\n"
    "    at least --min-size in all, or steadily (three or more snapshots, 200\n"
    "    objects or more at every step, no step under half the biggest): a small\n"
    "    leak in a service that runs for days; groups are ranked by growth per step.\n"
    "With two snapshots only the growth between them is seen: weaker evidence.\n"
    "Each group gets a verdict from the leak-pattern detectors (growing collection,\n"
    "event listeners, timers, caches, closures, registries, object-keyed Maps) with\n"
    "the fix, naming the variable that holds it and where it is declared, and the\n"
    "function that allocated its objects when the snapshots carry allocation traces\n"
    "(node --track-heap-objects). The \"Suspects\" are the detectors' findings on the\n"
    "final snapshot alone.\n";

const std::vector<OptionSpec> kOptions = {
    {"--min-size", "SIZE", "growth a group needs to count as a leak (default 100KB)"},
    {"--top", "N", "leak groups to show (default 5)"},
    {"--fail-on-leak", "", "exit 1 when a group passes --min-size (for CI)"},
    {"--full-path", "", "print each leak's whole retainer path (always in --json)"},
    {"--json", "", "machine-readable output"},
    no_cache_option(),
};

int run(const Arguments& args) {
  LeakAnalysisOptions options;
  options.min_size = args.size("--min-size").value_or(options.min_size);
  const uint64_t top = args.uint_or("--top", 5);
  std::vector<std::shared_ptr<const Snapshot>> series = open_snapshots(args.positionals(), args);
  const leaks::LeakFindings findings(std::move(series), args.positionals(), options, top);
  if (args.flag("--json"))
    print_json(report::leak_report_json(findings));
  else
    report::print_leak_report(std::cout, std::cerr, findings, args.flag("--full-path"));
  return args.flag("--fail-on-leak") && findings.found() ? kExitLeakFound : kExitOk;
}

}  // namespace

const Command kLeaksCommand{"leaks",
                            "what leaks across snapshots, what holds it, how to fix it",
                            "S1 S2 [S3 ...] [options]",
                            kDescription,
                            kOptions,
                            "",
                            {2, kAnyNumber, "expects at least two snapshots (three or more is better)"},
                            run};

}  // namespace heapwise::cli
