// `heapwise dominators`: the top of the dominator tree: what owns the memory.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "analysis/heap_text.h"
#include "analysis/js_text.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "report/table.h"
#include "util/format.h"

namespace heapwise::cli {

namespace {

const char kDescription[] =
    "The top of the dominator tree: each object with the objects only it keeps\n"
    "alive below it, biggest first, with retained sizes and their share of the heap.\n";

const std::vector<OptionSpec> kOptions = {
    {"--depth", "D", "levels below the root to show (default 4)"},
    {"--min-retained", "SIZE", "leave out objects retaining less (default: 1% of the heap)"},
    {"--json", "", "machine-readable output (nested \"children\")"},
    no_cache_option(),
};

// Children of n worth showing, biggest first.
std::vector<NodeIndex> big_children(const Snapshot& s, NodeIndex n, uint64_t min_retained) {
  const DominatorTree& t = s.dominator_tree();
  std::vector<NodeIndex> out;
  for (uint32_t i = t.first_child[n]; i < t.first_child[n + 1]; ++i)
    if (s.retained_size(t.children[i]) >= min_retained) out.push_back(t.children[i]);
  std::sort(out.begin(), out.end(), [&](NodeIndex a, NodeIndex b) {
    if (s.retained_size(a) != s.retained_size(b)) return s.retained_size(a) > s.retained_size(b);
    return a < b;
  });
  return out;
}

// A deep tree (--depth past 64) is written as it is walked, compact: nested
// in JSON objects first, the serializer's recursion overflowed the stack on
// a 10,000-long chain under AddressSanitizer.
void print_deep_tree_json(const Snapshot& s, const std::string& file, uint64_t total, uint64_t min_retained,
                          uint64_t depth) {
  auto text = [](std::string_view v) { return js::json_quote(v); };
  const HeapGraph& g = s.graph();
  std::string out = "{\"file\":" + text(file) + ",\"total_size\":" + std::to_string(total) +
                    ",\"min_retained\":" + std::to_string(min_retained) + ",\"tree\":";
  struct Item {
    NodeIndex node;
    uint32_t level;
    bool first;  // the first of its siblings
  };
  std::vector<Item> work{{g.root, 0, true}};
  uint32_t open = 0;  // nodes whose children list is still open
  while (!work.empty()) {
    const Item item = work.back();
    work.pop_back();
    for (; open > item.level; --open) out += "]}";
    if (!item.first) out += ",";
    const NodeIndex n = item.node;
    const double percent = total ? 100.0 * static_cast<double>(s.retained_size(n)) / static_cast<double>(total) : 0.0;
    out += "{\"id\":" + std::to_string(g.node_id[n]) + ",\"class\":" + text(s.class_name(n)) +
           ",\"name\":" + text(s.node_name(n)) + ",\"retained_size\":" + std::to_string(s.retained_size(n)) +
           ",\"percent\":" + nlohmann::json(percent).dump() + ",\"children\":[";
    ++open;
    if (item.level < depth) {
      const auto kids = big_children(s, n, min_retained);
      for (size_t k = kids.size(); k-- > 0;) work.push_back({kids[k], item.level + 1, k == 0});
    }
    if (out.size() > (1u << 20)) {
      std::cout << out;
      out.clear();
    }
  }
  for (; open > 0; --open) out += "]}";
  std::cout << out << "}\n";
}

int run(const Arguments& args) {
  const uint64_t depth = args.uint_or("--depth", 4, 1);
  auto snapshot = open_snapshot(args.positionals()[0], args);
  const Snapshot& s = *snapshot;
  const HeapGraph& g = s.graph();
  const uint64_t total = s.statistics().total;
  const uint64_t min_retained = args.size("--min-retained").value_or(std::max<uint64_t>(1, total / 100));

  // Depth-first with an explicit stack, children in size order.
  struct Item {
    NodeIndex node;
    uint32_t level;
  };
  std::vector<Item> stack{{g.root, 0}};
  if (args.flag("--json") && depth > 64) {
    print_deep_tree_json(s, args.positionals()[0], total, min_retained, depth);
    return kExitOk;
  }
  if (args.flag("--json")) {
    // Build the nested JSON bottom-up: each item knows its parent's slot.
    std::vector<nlohmann::ordered_json> objects;
    std::vector<std::pair<int64_t, NodeIndex>> order;  // (parent slot, node)
    std::vector<std::pair<int64_t, Item>> work{{-1, {g.root, 0}}};
    while (!work.empty()) {
      auto [parent, item] = work.back();
      work.pop_back();
      const NodeIndex n = item.node;
      objects.push_back(
          {{"id", g.node_id[n]},
           {"class", s.class_name(n)},
           {"name", s.node_name(n)},
           {"retained_size", s.retained_size(n)},
           {"percent", total ? 100.0 * static_cast<double>(s.retained_size(n)) / static_cast<double>(total) : 0.0},
           {"children", nlohmann::ordered_json::array()}});
      order.emplace_back(parent, n);
      const int64_t slot = static_cast<int64_t>(objects.size() - 1);
      if (item.level < depth) {
        auto kids = big_children(s, n, min_retained);
        for (auto it = kids.rbegin(); it != kids.rend(); ++it) work.push_back({slot, {*it, item.level + 1}});
      }
    }
    // Last to first, so each object is complete before it moves into its
    // parent. Appending (not inserting at the front: quadratic on a wide
    // fan) collects a node's children backwards; each list is turned round
    // once, when its node moves.
    for (size_t i = objects.size(); i-- > 1;) {
      auto& kids = objects[i]["children"];
      std::reverse(kids.begin(), kids.end());
      objects[static_cast<size_t>(order[i].first)]["children"].push_back(std::move(objects[i]));
    }
    if (!objects.empty()) {
      auto& top = objects[0]["children"];
      std::reverse(top.begin(), top.end());
    }
    nlohmann::ordered_json out{{"file", args.positionals()[0]},
                               {"total_size", total},
                               {"min_retained", min_retained},
                               {"tree", std::move(objects[0])}};
    print_json(out);
    return kExitOk;
  }

  std::cout << args.positionals()[0] << ": dominator tree, " << format_size(total)
            << " in all; objects retaining at least " << format_size(min_retained) << "\n\n";
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    const NodeIndex n = item.node;
    std::string indent(2 * item.level, ' ');
    std::string size = format_size(s.retained_size(n));
    std::string pct = format_percent(s.retained_size(n), total);
    std::string left = indent + (n == g.root ? std::string("(root)") : terminal_text(node_label(s, n)));
    std::cout << report::truncate_display(left, 90);
    size_t w = report::display_width(report::truncate_display(left, 90));
    std::cout << std::string(w < 92 ? 92 - w : 1, ' ') << std::string(9 - std::min<size_t>(9, size.size()), ' ') << size
              << std::string(9 - std::min<size_t>(9, pct.size()), ' ') << pct << "\n";
    if (item.level < depth) {
      auto kids = big_children(s, n, min_retained);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, item.level + 1});
    }
  }
  return kExitOk;
}

}  // namespace

const Command kDominatorsCommand{"dominators",     "the top of the dominator tree: what owns the memory",
                                 "FILE [options]", kDescription,
                                 kOptions,         "",
                                 kOneFile,         run};

}  // namespace heapwise::cli
