// `heapwise nodes`: every node with the numbers DevTools shows for it, as
// JSON lines (for scripts, and for checking heapwise against DevTools).
#include <cstdio>
#include <iostream>

#include "analysis/js_text.h"
#include "cli/arguments.h"
#include "cli/command.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "Writes one JSON object per line for every node of the snapshot:\n"
    "  {\"id\", \"type\", \"class\", \"name\", \"self_size\", \"retained_size\",\n"
    "   \"distance\", \"dominator_id\"}\n"
    "self_size is the size DevTools shows (after it moves the sizes of internal\n"
    "arrays onto their owner); dominator_id is the V8 id of the immediate dominator\n"
    "(the root's is its own). JSON lines is the only format.\n";

const std::vector<OptionSpec> kOptions = {
    {"--json", "", "accepted for symmetry with the other commands: the output is always JSON lines"},
    no_cache_option(),
};

int run(const Arguments& args) {
  auto snapshot = open_snapshot(args.positionals()[0], args);
  const HeapGraph& g = snapshot->graph();
  std::string line;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    line.clear();
    line += "{\"id\":" + std::to_string(g.node_id[n]);
    line += ",\"type\":" + js::json_quote(g.type_name(n));
    line += ",\"class\":" + js::json_quote(snapshot->class_name(n));
    line += ",\"name\":" + js::json_quote(snapshot->node_name(n));
    line += ",\"self_size\":" + std::to_string(snapshot->self_size(n));
    line += ",\"retained_size\":" + std::to_string(snapshot->retained_size(n));
    line += ",\"distance\":" + std::to_string(snapshot->distance(n));
    line += ",\"dominator_id\":" + std::to_string(g.node_id[snapshot->dominator(n)]);
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return kExitOk;
}

}  // namespace

const Command kNodesCommand{
    "nodes", "every node's DevTools numbers as JSON lines", "FILE [options]", kDescription, kOptions, "", kOneFile,
    run};

}  // namespace heapwise::cli
