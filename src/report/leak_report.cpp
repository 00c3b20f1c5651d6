// The leaks report (see leak_report.h).
#include "report/leak_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/heap_text.h"
#include "analysis/source_maps.h"
#include "report/findings.h"
#include "util/format.h"

namespace heapwise::report {

namespace {

std::string signed_size(double v) {
  return (v < 0 ? "-" : "+") + format_size(static_cast<uint64_t>(std::llround(std::fabs(v))));
}

// Prose is folded at this width (code examples are printed as they are).
constexpr size_t kTextWidth = 100;

// `text` under `label`, indented; words folded at kTextWidth.
void print_prose(std::ostream& out, const std::string& label, const std::string& raw) {
  const std::string text = terminal_text(raw);
  const size_t indent = 4 + label.size();
  std::string line;
  bool first = true;
  auto flush = [&] {
    out << "    " << (first ? label : std::string(label.size(), ' ')) << line << "\n";
    first = false;
    line.clear();
  };
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    if (!line.empty() && indent + line.size() + 1 + word.size() > kTextWidth) flush();
    line += (line.empty() ? "" : " ") + word;
    at = end + 1;
  }
  if (!line.empty() || first) flush();
}

void print_lines(std::ostream& out, const std::string& label, const std::string& text) {
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out << "    " << (first ? label : std::string(label.size(), ' ')) << terminal_text(text.substr(start, end - start))
        << "\n";
    first = false;
    start = end + 1;
  }
}

// One leak, in the order a developer acts on it: what grows, the name that
// holds it and where it is declared, how it is reached, the growth, the fix.
// The retainer path only when no pattern explains the leak, or with
// --full-path (with an example object's whole path); always in --json.
// How sure the verdict is: the steps it grew at, and how evenly.
std::string evidence_text(const LeakGroup& grp) {
  const size_t steps = grp.population.size() - 1;
  std::string gains;
  for (size_t k = 1; k < grp.population.size(); ++k)
    gains +=
        (k > 1 ? ", +" : "+") + format_count(grp.population[k] - std::min(grp.population[k], grp.population[k - 1]));
  if (steps == 1) return "grew in its one step (" + gains + " objects): take a third snapshot to be sure";
  return "grew at each of " + std::to_string(steps) + " steps" + (grp.steady() ? ", steadily" : ", unevenly") + " (" +
         gains + " objects)";
}

// "createSession (src/session.js:42:17) ← handle (src/app.js:10:5)": the
// allocating function and its caller ("… and 2 other callers" when it had more).
std::string site_text(const leaks::AllocationShare& site) {
  std::string text;
  for (size_t k = 0; k < site.stack.size() && k < 2; ++k) text += (k ? " ← " : "") + frame_text(site.stack[k]);
  if (site.other_callers > 0)
    text +=
        " and " + std::to_string(site.other_callers) + (site.other_callers == 1 ? " other caller" : " other callers");
  return text.empty() ? "(no stack)" : text;
}

void print_leak(std::ostream& out, const Snapshot& last, const LeakGroup& grp, const Finding* verdict,
                const std::vector<leaks::AllocationShare>& sites, size_t rank, bool full_paths) {
  out << "\n#" << rank << "  " << grp.leaked_class << ": " << signed_size(grp.bytes_per_step()) << " and +"
      << format_count(static_cast<uint64_t>(std::llround(grp.objects_per_step()))) << " objects per snapshot\n";
  if (verdict) {
    print_prose(out, "what      ", verdict->title);
    print_prose(out, "held by   ", verdict->name.empty() ? verdict->what : "'" + verdict->name + "': " + verdict->what);
    std::string at;
    if (!verdict->declared_at.empty()) at = "declared at " + verdict->declared_at;
    if (!verdict->created_at.empty())
      at += (at.empty() ? "" : "; ") + verdict->created_what + " created at " + verdict->created_at;
    if (!at.empty()) print_lines(out, "          ", at);
    if (!verdict->name.empty() && !verdict->reached_through.empty())
      print_lines(out, "reached   ", "through " + verdict->reached_through);
  }
  if (!verdict || full_paths) print_lines(out, "path      ", shape_text(grp.shape));
  if (full_paths)
    print_lines(out, "example   ",
                path_text(last, grp.example_path) + "  (" + format_size(last.retained_size(grp.example)) + ")");
  // The sites that allocated a share worth reading (the top one always).
  for (size_t k = 0; k < sites.size() && k < 3; ++k) {
    if (k > 0 && sites[k].share < 0.05) break;
    char share[16];
    std::snprintf(share, sizeof share, "%3.0f%%  ", sites[k].share * 100);
    print_lines(out, k == 0 ? "allocated " : "          ", share + site_text(sites[k]));
  }
  std::string growth;
  for (size_t k = 0; k < grp.population.size(); ++k)
    growth += (k ? " → " : "") + format_count(grp.population[k]) + " (" + format_size(grp.population_bytes[k]) + ")";
  print_lines(out, "growth    ", growth);
  print_lines(out, "evidence  ", evidence_text(grp));
  if (verdict && !verdict->fix.empty()) print_prose(out, "fix       ", verdict->fix);
  if (verdict && !verdict->example.empty()) print_lines(out, "          ", verdict->example);
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
    j["steady"] = grp.steady();
    j["evidence"] = evidence_text(grp);
    j["pattern"] = findings.verdict(i) ? finding_json(*findings.verdict(i), g) : nlohmann::ordered_json();
    auto& sites = j["allocated_at"] = nlohmann::ordered_json::array();
    for (const auto& site : findings.allocated_at(i)) {
      auto stack = nlohmann::ordered_json::array();
      for (const auto& f : site.stack) {
        nlohmann::ordered_json frame = {{"function", f.function_name},
                                        {"script", display_path(f.script_name)},
                                        {"line", f.line},
                                        {"column", f.column}};
        // Where the script's source map leads; script/line/column stay the generated position.
        if (const auto original = f.line ? original_position(f.script_name, f.line, f.column) : std::nullopt)
          frame["original"] = {
              {"source", display_path(original->source)}, {"line", original->line}, {"column", original->column}};
        stack.push_back(std::move(frame));
      }
      sites.push_back({{"objects", site.objects},
                       {"share", site.share},
                       {"text", site_text(site)},
                       {"other_callers", site.other_callers},
                       {"stack", stack}});
    }
    list.push_back(std::move(j));
  }
  auto& sus = out["suspects"] = nlohmann::ordered_json::array();
  for (const auto& f : findings.suspects()) sus.push_back(finding_json(f, g));
  return out;
}

void print_leak_report(std::ostream& out, std::ostream& warnings, const leaks::LeakFindings& findings,
                       bool full_paths) {
  const Snapshot& last = findings.last();
  const LeakAnalysis& analysis = findings.analysis();
  const auto& leaks = findings.leaks();
  const size_t shown = findings.shown();
  for (const auto& w : findings.series_warnings()) warnings << "heapwise: warning: " << w << "\n";
  if (findings.series().size() == 2)
    out << "Only two snapshots: growth between them is weaker evidence than a series of three or more.\n\n";
  if (leaks.empty()) {
    out << "No leak: no group of objects allocated after the first snapshot grew at every step by "
        << format_size(findings.options().min_size) << " or more in all, or steadily by "
        << format_count(findings.options().min_steady_objects) << " objects or more a step ("
        << format_count(analysis.candidates) << " new objects still alive, in " << analysis.groups.size()
        << " groups).\n";
  } else {
    out << leaks.size() << (leaks.size() == 1 ? " leak" : " leaks") << " found across " << findings.series().size()
        << " snapshots";
    if (shown < leaks.size()) out << " (top " << shown << ")";
    out << "\n";
  }
  for (size_t i = 0; i < shown; ++i)
    print_leak(out, last, *leaks[i], findings.verdict(i) ? &*findings.verdict(i) : nullptr, findings.allocated_at(i),
               i + 1, full_paths);
  print_suspects(out, findings.suspects(), findings.files().back());
}

}  // namespace heapwise::report
