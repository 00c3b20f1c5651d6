// Finding rendering (see findings.h).
#include "report/findings.h"

#include "util/format.h"

namespace heapwise::report {

nlohmann::ordered_json finding_json(const Finding& f, const HeapGraph& g) {
  return {{"pattern", f.pattern},
          {"title", f.title},
          {"what", f.what},
          {"kind", f.kind},
          {"name", f.name},
          {"declared_at", f.declared_at},
          {"reached_through", f.reached_through},
          {"created_at", f.created_at},
          {"created_what", f.created_what},
          {"where", f.where},
          {"how_big", f.how_big},
          {"fix", f.fix},
          {"example", f.example},
          {"id", f.node.is_none() ? ObjectId(0) : g.id(f.node)},
          {"holder_id", f.holder.is_none() ? ObjectId(0) : g.id(f.holder)},
          {"size", f.size}};
}

void print_finding(std::ostream& out, const Finding& f, const std::string& indent) {
  out << indent << "Pattern: " << terminal_text(f.title) << "\n";
  if (!f.what.empty()) out << indent << "  what:  " << terminal_text(f.what) << "\n";
  if (!f.where.empty()) out << indent << "  where: " << terminal_text(f.where) << "\n";
  if (!f.how_big.empty()) out << indent << "  size:  " << terminal_text(f.how_big) << "\n";
  if (!f.fix.empty()) out << indent << "  fix:   " << terminal_text(f.fix) << "\n";
  size_t start = 0;
  while (!f.example.empty() && start <= f.example.size()) {
    size_t end = f.example.find('\n', start);
    if (end == std::string::npos) end = f.example.size();
    out << indent << "         " << terminal_text(f.example.substr(start, end - start)) << "\n";
    start = end + 1;
  }
}

void print_suspects(std::ostream& out, const std::vector<Finding>& suspects, const std::string& file) {
  if (suspects.empty()) return;
  out << "\nSuspects in " << file << "\n";
  for (const auto& f : suspects) {
    out << "\n";
    print_finding(out, f, "  ");
  }
}

}  // namespace heapwise::report
