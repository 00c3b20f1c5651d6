// What every command shares: its --help text and JSON output (see command.h).
#include "cli/command.h"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "util/json_dump.h"

namespace heapwise::cli {

std::string help_text(const Command& c) {
  std::ostringstream out;
  out << "Usage: heapwise " << c.name << " " << c.usage << "\n\n" << c.description;
  // Options in a two-column table: "--name VALUE" then the help lines.
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& o : c.options) rows.push_back({o.name + (o.takes_value() ? " " + o.value : ""), o.help});
  rows.push_back({"-h, --help", "show this help"});
  size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  out << "\nOptions:\n";
  for (const auto& [left, help] : rows) {
    std::istringstream lines(help);
    std::string line;
    bool first = true;
    while (std::getline(lines, line)) {
      out << "  " << (first ? left : std::string()) << std::string(width + 2 - (first ? left.size() : 0), ' ') << line
          << "\n";
      first = false;
    }
  }
  if (*c.notes) out << "\n" << c.notes;
  return out.str();
}

namespace {

// Whether `j` nests deeper than `limit` levels.
bool deeper_than(const nlohmann::ordered_json& j, size_t limit) {
  std::vector<std::pair<const nlohmann::ordered_json*, size_t>> stack{{&j, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > limit) return true;
    if (node->is_structured())
      for (const auto& child : *node) stack.push_back({&child, depth + 1});
  }
  return false;
}

}  // namespace

void print_json(const nlohmann::ordered_json& j) {
  // Indentation grows with depth: a deep tree (a dominator chain of 10,000)
  // would print gigabytes of spaces, so deep documents come compact.
  const int indent = deeper_than(j, 64) ? -1 : 2;
  std::cout << dump_json(j, indent) << "\n";
}

}  // namespace heapwise::cli
