// Micro-benchmark of the hot phases, one at a time on a generated graph, so
// that a change to one phase is measured in seconds instead of guessed:
// the integer scan alone (one thread), parse (the loader, two threads), distances, class names, shallow sizes,
// dominator tree, retained sizes, aggregates, and the binary cache's write
// and read of the analysed snapshot. Each phase runs REPEATS times
// and the fastest is shown (the least disturbed by the rest of the machine).
//
//   heapwise_phase_bench [NODES] [REPEATS]      (default 2000000 nodes, 3 repeats)
//
// The graph: a 4-ary tree under the root (every node reachable, depth
// log4 N) plus two random edges per node, half to a nearby node and half to
// any; 500 classes, 500 property names, one edge in five an element.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "analysis/aggregates.h"
#include "analysis/class_names.h"
#include "analysis/distances.h"
#include "analysis/dom_state.h"
#include "analysis/dominators.h"
#include "analysis/name_table.h"
#include "analysis/roots.h"
#include "analysis/shallow_sizes.h"
#include "analysis/weakmap_edges.h"
#include "cache/snapshot_codec.h"
#include "loader/json_text.h"
#include "loader/snapshot_loader.h"

namespace {

using namespace heapwise;

// The snapshot text of the generated graph, in V8's layout.
std::string generate(uint32_t nodes) {
  std::mt19937_64 rng(1);
  constexpr uint32_t kClasses = 500, kNames = 500;
  auto below = [&](uint64_t n) { return static_cast<uint32_t>(rng() % n); };
  std::string nodes_text, edges_text;
  uint64_t edge_count = 0;
  char buf[96];
  for (uint32_t n = 0; n < nodes; ++n) {
    uint32_t edges = 0;
    for (uint64_t child = uint64_t{n} * 4 + 1; child <= uint64_t{n} * 4 + 4 && child < nodes; ++child, ++edges) {
      std::snprintf(buf, sizeof buf, "2,%u,%llu,", 1 + kClasses + below(kNames),
                    static_cast<unsigned long long>(child * 7));
      edges_text += buf;
    }
    for (int k = 0; k < 2 && n > 0; ++k, ++edges) {
      const uint32_t to = k == 0 ? std::min(nodes - 1, n + 1 + below(50)) : below(nodes);
      const bool element = below(5) == 0;
      std::snprintf(buf, sizeof buf, "%d,%u,%llu,", element ? 1 : 2,
                    element ? below(1000) : 1 + kClasses + below(kNames), static_cast<unsigned long long>(to) * 7);
      edges_text += buf;
    }
    edge_count += edges;
    // type object (3), or synthetic (9) for the root
    std::snprintf(buf, sizeof buf, "%d,%u,%llu,%u,%u,0,0,", n == 0 ? 9 : 3, n == 0 ? 0 : 1 + below(kClasses),
                  static_cast<unsigned long long>(n) * 2 + 1, n == 0 ? 0 : 16 + below(200), edges);
    nodes_text += buf;
  }
  nodes_text.pop_back();
  edges_text.pop_back();
  std::string strings = "\"\"";
  for (uint32_t c = 0; c < kClasses; ++c) strings += ",\"Class" + std::to_string(c) + "\"";
  for (uint32_t p = 0; p < kNames; ++p) strings += ",\"prop" + std::to_string(p) + "\"";
  return R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],)"
         R"("node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic",)"
         R"("concatenated string","sliced string","symbol","bigint","object shape"],"string","number","number","number","number","number"],)"
         R"("edge_fields":["type","name_or_index","to_node"],)"
         R"("edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]},)"
         R"("node_count":)" +
         std::to_string(nodes) + R"(,"edge_count":)" + std::to_string(edge_count) + "},\n\"nodes\":[" + nodes_text +
         "],\n\"edges\":[" + edges_text + "],\n\"strings\":[" + strings + "]}\n";
}

// The parse's inner loop alone: every number of the nodes and edges arrays
// read by the integer scanner, on one thread, into a batch nothing keeps.
void scan_integer_arrays(const std::string& text) {
  std::vector<uint64_t> batch(4096);
  uint64_t sum = 0;
  for (const char* key : {"\"nodes\":[", "\"edges\":["}) {
    const char* p = text.data() + text.find(key) + std::strlen(key);
    json_text::UintScan state;
    while (!state.closed && !state.error) {
      size_t n = 0;
      p = json_text::scan_uints(p, text.data() + text.size(), true, state, batch.data(), batch.size(), n);
      for (size_t i = 0; i < n; ++i) sum += batch[i];
    }
  }
  if (sum == 42) std::printf(" ");  // keeps the values from being optimised away
}

// `prepare`, when given, runs untimed before each repeat.
double best_of(int repeats, const std::function<void()>& phase, const std::function<void()>& prepare = {}) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    if (prepare) prepare();
    const auto start = std::chrono::steady_clock::now();
    phase();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const uint32_t nodes = argc > 1 ? static_cast<uint32_t>(std::stoul(argv[1])) : 2000000;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
  const std::string path = "/tmp/heapwise-phase-bench-" + std::to_string(getpid()) + ".heapsnapshot";
  {
    const std::string text = generate(nodes);
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size()) return 1;
    std::fclose(f);
    std::printf("graph: %u nodes, %.1f MB of snapshot text; best of %d\n", nodes, text.size() / 1e6, repeats);
    std::printf("  %-18s %8.3f s   (one thread, nothing stored)\n", "integer scan",
                best_of(repeats, [&] { scan_integer_arrays(text); }));
  }
  std::unique_ptr<HeapGraph> graph;
  const double parse = best_of(repeats, [&] {
    auto loaded = load_snapshot(path, LoadOptions{false, 2});
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.error().in(path).c_str());
      std::exit(1);
    }
    graph = std::move(loaded.value());
  });
  std::remove(path.c_str());
  const HeapGraph& g = *graph;
  std::printf("  %-18s %8.3f s   (%u edges)\n", "parse", parse, g.edge_count);

  NameTable names(g.strings);
  const DomState dom = compute_dom_state(g, names);
  BigArray<int32_t> distances;
  ClassNames classes;
  SizeColumn self_sizes;
  ImmediateDominators dominators, consumed;  // build_dominator_tree takes a copy each time
  DominatorTree tree;
  ClassAggregates aggregates;
  const BitArray page_owned = compute_page_owned(g);
  auto copy_dominators = [&] { consumed = {dominators.idom.copy(), dominators.order.copy()}; };
  struct Phase {
    const char* name;
    std::function<void()> run;
    std::function<void()> prepare = {};
  };
  const Phase phases[] = {
      {"distances",
       [&] {
         WeakMapEdgeNames weakmap_names(g);
         distances = compute_distances(g, weakmap_names);
       }},
      {"class names", [&] { classes = compute_class_names(g, dom, names); }},
      {"shallow sizes", [&] { self_sizes = compute_shown_self_sizes(g); }},
      {"dominator tree",
       [&] {
         WeakMapEdgeNames weakmap_names(g);
         dominators = compute_dominators(g, page_owned, weakmap_names);
       }},
      {"retained, children",
       [&] {
         BigArray<uint32_t> counts = count_dominator_children(g, consumed);
         tree = build_dominator_tree(g, std::move(consumed), std::move(counts), self_sizes);
       },
       copy_dominators},
      {"aggregates",
       [&] { aggregates = compute_class_aggregates(g, names, classes.class_index, self_sizes, distances, tree); }},
  };
  for (const Phase& p : phases) std::printf("  %-18s %8.3f s\n", p.name, best_of(repeats, p.run, p.prepare));
  std::printf("  (%zu classes)\n", aggregates.rows.size());

  // The binary cache: writing the analysed snapshot, and reading it back.
  const Snapshot snapshot(std::move(graph));
  const std::string entry = path + ".hwcache";
  const double write = best_of(repeats, [&] {
    cache::EntryWriter writer(entry + ".tmp", cache::CacheKey{});
    cache::encode_snapshot(snapshot, writer);
    writer.commit(entry);
  });
  const double read = best_of(repeats, [&] {
    cache::EntryReader reader(entry);
    cache::decode_snapshot(reader);
  });
  std::printf("  %-18s %8.3f s\n  %-18s %8.3f s\n", "cache write", write, "cache read", read);
  std::remove(entry.c_str());
  return 0;
}
