// `heapwise profile`: record an allocation-sampling profile from a live
// process, or read one (.heapprofile) and show who allocates.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/live_options.h"
#include "live/interrupt.h"
#include "live/sampling_capture.h"
#include "live/target_session.h"
#include "profile/heap_profile.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "Records an allocation-sampling profile of a running Node.js process\n"
    "(HeapProfiler.startSampling / stopSampling; cheap enough for production)\n"
    "and saves it as a .heapprofile that Chrome DevTools can load; or reads one\n"
    "and prints the functions whose allocations are still live, with self and\n"
    "total bytes and script:line.\n";

const std::vector<OptionSpec> kOptions = with_target_options({
    {"--duration", "D", "how long to sample: 30s, 2m, 500ms (default 30s)"},
    {"--interval", "BYTES", "mean bytes between samples (default 32KB)"},
    {"-o", "FILE", "where to save (default heapwise-PID-DATE-TIME.heapprofile)"},
    {"--top", "N", "functions to list (default 20)"},
    {"--flamegraph", "OUT", "also write a self-contained HTML flame graph"},
    {"--collapsed", "OUT", "also write collapsed stacks (flamegraph.pl, speedscope)"},
    {"--json", "", "machine-readable output"},
});

int read_profile(const Arguments& args) {
  const std::string& file = args.positionals()[0];
  auto profile = read_heap_profile(file);
  if (!profile.ok()) throw CommandFailure(kExitBadInput, file + ": byte 0: " + profile.error().message);
  const auto& p = profile.value();
  auto top = top_functions(p);
  const uint64_t n = args.uint_or("--top", 20);
  if (n && top.size() > n) top.resize(n);
  if (auto out = args.value("--flamegraph")) std::ofstream(*out) << flame_graph_html(p, "Allocations: " + file);
  if (auto out = args.value("--collapsed")) std::ofstream(*out) << collapsed_stacks(p);
  if (args.flag("--json")) {
    nlohmann::ordered_json j{{"file", file}, {"total_size", p.total_size}};
    auto& list = j["functions"] = nlohmann::ordered_json::array();
    for (const auto& f : top)
      list.push_back({{"function", f.function},
                      {"url", f.url},
                      {"line", f.line + 1},
                      {"column", f.column + 1},
                      {"self_size", f.self_size},
                      {"total_size", f.total_size}});
    print_json(j);
    return kExitOk;
  }
  std::cout << file << ": " << format_size(p.total_size) << " of sampled allocations still live\n\n";
  using report::Table;
  Table t({{"Function", Table::Align::kLeft},
           {"Self", Table::Align::kRight},
           {"", Table::Align::kRight},
           {"Total", Table::Align::kRight},
           {"Where", Table::Align::kLeft}});
  for (const auto& f : top)
    t.add_row({f.function, format_size(f.self_size), format_percent(f.self_size, p.total_size),
               format_size(f.total_size), f.location()});
  t.print(std::cout, report::use_color(), 70);
  return kExitOk;
}

int run(const Arguments& args) {
  const live::TargetSpec spec = target_spec(args);
  const int given = target_option_count(args);
  if (given == 0) {
    if (args.positionals().size() != 1) throw UsageError("expects a .heapprofile FILE, or --pid/--inspect/--url");
    return read_profile(args);
  }
  if (given > 1 || !args.positionals().empty()) throw UsageError("give exactly one of --pid, --inspect, --url");
  live::SamplingOptions options;
  options.duration = parse_duration("--duration", args.value_or("--duration", "30s"));
  if (auto b = args.size("--interval")) options.interval_bytes = std::max<uint64_t>(*b, 1);
  live::install_interrupt_handlers();
  live::TargetSession session(spec);
  const std::string path = args.value_or("-o", "heapwise-" + std::to_string(session.target_pid()) + ".heapprofile");
  const uint64_t bytes = live::record_sampling_profile(session, path, options);
  session.leave();
  std::cout << "wrote " << path << " (" << format_size(bytes) << " of sampled live allocations) from "
            << spec.describe() << "\n";
  return kExitOk;
}

}  // namespace

const Command kProfileCommand{
    "profile",
    "allocation-sampling profiles: record one live, or show who allocates",
    "(--pid PID | --inspect HOST:PORT | --url WS) [options]\n       heapwise profile FILE.heapprofile [options]",
    kDescription,
    kOptions,
    "",
    {0, 1, "expects a .heapprofile FILE, or --pid/--inspect/--url"},
    run,
    false,
    "profiling",
    ""};

}  // namespace heapwise::cli
