// The report of `heapwise leaks` (leaks/leak_findings) as text or JSON: the
// command prints it, and `watch --hunt` prints it and keeps its JSON for
// /memory/report.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "leaks/leak_findings.h"

namespace heapwise::report {

nlohmann::ordered_json leak_report_json(const leaks::LeakFindings& findings);
// The report on `out`; the series warnings on `warnings`, one line each.
// `full_paths`: print every leak's retainer path, not only its holder's name.
void print_leak_report(std::ostream& out, std::ostream& warnings, const leaks::LeakFindings& findings,
                       bool full_paths = false);

}  // namespace heapwise::report
