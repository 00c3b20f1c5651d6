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

const char kHelp[] =
    "Usage: heapwise profile (--pid PID | --inspect HOST:PORT | --url WS) [--duration 30s]\n"
    "                        [--interval BYTES] [-o FILE]\n"
    "       heapwise profile FILE.heapprofile [--top N] [--flamegraph OUT.html]\n"
    "                        [--collapsed OUT.txt] [--json]\n\n"
    "Records an allocation-sampling profile of a running Node.js process\n"
    "(HeapProfiler.startSampling / stopSampling; cheap enough for production)\n"
    "and saves it as a .heapprofile that Chrome DevTools can load; or reads one\n"
    "and prints the functions whose allocations are still live, with self and\n"
    "total bytes and script:line.\n\n"
    "  --duration D      how long to sample: 30s, 2m, 500ms (default 30s)\n"
    "  --interval BYTES  mean bytes between samples (default 32KB)\n"
    "  -o FILE           where to save (default heapwise-PID-DATE-TIME.heapprofile)\n"
    "  --top N           functions to list (default 20)\n"
    "  --flamegraph OUT  also write a self-contained HTML flame graph\n"
    "  --collapsed OUT   also write collapsed stacks (flamegraph.pl, speedscope)\n"
    "  --json            machine-readable output\n";

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
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
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

int run(const std::vector<std::string>& argv) {
  Arguments args(argv, {{"--pid", true},
                        {"--inspect", true},
                        {"--url", true},
                        {"-o", true},
                        {"--duration", true},
                        {"--interval", true},
                        {"--top", true},
                        {"--flamegraph", true},
                        {"--collapsed", true},
                        {"--json", false}});
  if (args.help()) {
    std::cout << kHelp;
    return kExitOk;
  }
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
  try {
    live::TargetSession session(spec);
    const std::string path = args.value_or("-o", "heapwise-" + std::to_string(session.target_pid()) + ".heapprofile");
    const uint64_t bytes = live::record_sampling_profile(session, path, options);
    session.leave();
    std::cout << "wrote " << path << " (" << format_size(bytes) << " of sampled live allocations) from "
              << spec.describe() << "\n";
    return kExitOk;
  } catch (const live::AttachError& e) {
    throw CommandFailure(kExitUnreachable, e.what());
  } catch (const live::CdpError& e) {
    throw CommandFailure(kExitUnreachable, std::string("profiling ") + spec.describe() + " failed: " + e.what());
  }
}

}  // namespace

const Command kProfileCommand{"profile", "allocation-sampling profiles: record one live, or show who allocates", kHelp,
                              run};

}  // namespace heapwise::cli
