// Sampling heap profiles (see heap_profile.h).
#include "profile/heap_profile.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/heap_text.h"

namespace heapwise {

namespace {

std::string frame_name(const ProfileNode& n) { return n.function.empty() ? "(anonymous)" : n.function; }

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string FunctionAllocation::location() const {
  if (url.empty()) return "";
  // As every location heapwise prints: a path relative to here, or the source map's original.
  return position_text(url, 0, static_cast<uint32_t>(line + 1), static_cast<uint32_t>(column + 1));
}

Result<HeapProfile> read_heap_profile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{0, "cannot open the file"};
  auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded()) return Error{0, "not JSON"};
  if (!json.is_object() || !json.contains("head") || !json["head"].is_object())
    return Error{0, "not a heap profile: no \"head\" node"};
  HeapProfile p;
  // Iterative walk: profiles of deep recursion are deep trees.
  std::vector<std::pair<const nlohmann::json*, uint32_t>> stack{{&json["head"], UINT32_MAX}};
  while (!stack.empty()) {
    auto [node, parent] = stack.back();
    stack.pop_back();
    if (!node->is_object()) return Error{0, "a profile node is not an object"};
    ProfileNode n;
    // Each field checked for its type: a number where a string belongs (or
    // the reverse) is an error line, never a library exception.
    if (node->contains("callFrame") && (*node)["callFrame"].is_object()) {
      const auto& f = (*node)["callFrame"];
      for (const char* key : {"functionName", "url"})
        if (f.contains(key) && !f[key].is_string())
          return Error{0, std::string("callFrame.") + key + " is not a string"};
      for (const char* key : {"lineNumber", "columnNumber"})
        if (f.contains(key) && !f[key].is_number_integer())
          return Error{0, std::string("callFrame.") + key + " is not an integer"};
      n.function = f.value("functionName", std::string());
      n.url = f.value("url", std::string());
      const int64_t line = f.value("lineNumber", int64_t{-1}), column = f.value("columnNumber", int64_t{-1});
      if (line < -1 || column < -1 || line > INT32_MAX || column > INT32_MAX)
        return Error{0, "callFrame position out of range"};
      n.line = static_cast<int32_t>(line);
      n.column = static_cast<int32_t>(column);
    }
    if (node->contains("selfSize")) {
      const auto& size = (*node)["selfSize"];
      // V8 writes sizes as non-negative integers; a sum of them must not wrap.
      if (!size.is_number_unsigned() && !(size.is_number_integer() && size.get<int64_t>() >= 0))
        return Error{0, "selfSize is not a non-negative integer"};
      n.self_size = size.get<uint64_t>();
      if (n.self_size > (uint64_t{1} << 50)) return Error{0, "selfSize is larger than any heap"};
    }
    n.parent = parent;
    const uint32_t index = static_cast<uint32_t>(p.nodes.size());
    if (parent != UINT32_MAX) p.nodes[parent].children.push_back(index);
    p.total_size += n.self_size;
    p.nodes.push_back(std::move(n));
    if (node->contains("children") && (*node)["children"].is_array())
      for (const auto& child : (*node)["children"]) stack.push_back({&child, index});
  }
  return p;
}

std::vector<FunctionAllocation> top_functions(const HeapProfile& p) {
  std::map<std::tuple<std::string, std::string, int32_t, int32_t>, uint32_t> id_of;
  std::vector<FunctionAllocation> out;
  std::vector<uint32_t> function_of(p.nodes.size(), UINT32_MAX);
  for (uint32_t i = 1; i < p.nodes.size(); ++i) {
    const ProfileNode& n = p.nodes[i];
    auto [it, added] = id_of.try_emplace({n.function, n.url, n.line, n.column}, static_cast<uint32_t>(out.size()));
    if (added) {
      FunctionAllocation f;
      f.function = frame_name(n);
      f.url = n.url;
      f.line = n.line;
      f.column = n.column;
      out.push_back(std::move(f));
    }
    function_of[i] = it->second;
    out[it->second].self_size += n.self_size;
  }
  // Total: a node's self size counts once for each distinct function on its
  // stack, so a function's total is the sum of the subtrees where it is
  // outermost on the stack. Subtree sums from the leaves up (a parent comes
  // before its children), then one walk down counting each function's
  // frames on the current stack: linear, where a walk up from every node
  // was quadratic in the depth (a 10,000-deep recursion took 18 s).
  std::vector<uint64_t> subtree(p.nodes.size());
  for (uint32_t i = 0; i < p.nodes.size(); ++i) subtree[i] = p.nodes[i].self_size;
  for (uint32_t i = static_cast<uint32_t>(p.nodes.size()); i-- > 1;)
    if (p.nodes[i].parent != UINT32_MAX) subtree[p.nodes[i].parent] += subtree[i];
  std::vector<uint32_t> on_stack(out.size(), 0);
  std::vector<std::pair<uint32_t, bool>> walk;  // (node, leaving)
  if (!p.nodes.empty()) walk.push_back({0, false});
  while (!walk.empty()) {
    const auto [i, leaving] = walk.back();
    walk.pop_back();
    const uint32_t f = function_of[i];
    if (leaving) {
      --on_stack[f];
      continue;
    }
    if (f != UINT32_MAX) {
      if (on_stack[f]++ == 0) out[f].total_size += subtree[i];
      walk.push_back({i, true});
    }
    for (uint32_t c : p.nodes[i].children) walk.push_back({c, false});
  }
  // Ties keep the order of the functions' names and places.
  std::vector<FunctionAllocation> sorted;
  sorted.reserve(out.size());
  for (const auto& [key, id] : id_of) sorted.push_back(std::move(out[id]));
  out = std::move(sorted);
  std::stable_sort(out.begin(), out.end(), [](const FunctionAllocation& a, const FunctionAllocation& b) {
    if (a.self_size != b.self_size) return a.self_size > b.self_size;
    return a.total_size > b.total_size;
  });
  return out;
}

std::string collapsed_stacks(const HeapProfile& p) {
  std::map<std::string, uint64_t> lines;
  for (uint32_t i = 1; i < p.nodes.size(); ++i) {
    if (p.nodes[i].self_size == 0) continue;
    std::vector<std::string> frames;
    for (uint32_t a = i; a != UINT32_MAX && a != 0; a = p.nodes[a].parent) {
      std::string f = frame_name(p.nodes[a]);
      std::replace(f.begin(), f.end(), ';', ':');
      std::replace(f.begin(), f.end(), ' ', '_');
      frames.push_back(f);
    }
    std::string stack;
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) stack += (stack.empty() ? "" : ";") + *it;
    lines[stack] += p.nodes[i].self_size;
  }
  std::ostringstream out;
  for (const auto& [stack, bytes] : lines) out << stack << " " << bytes << "\n";
  return out.str();
}

std::string flame_graph_html(const HeapProfile& p, const std::string& title) {
  // Inclusive sizes, then boxes laid out left to right, root at the bottom.
  std::vector<uint64_t> total(p.nodes.size(), 0);
  for (size_t i = p.nodes.size(); i-- > 0;) {
    total[i] += p.nodes[i].self_size;
    if (p.nodes[i].parent != UINT32_MAX) total[p.nodes[i].parent] += total[i];
  }
  size_t depth_max = 0;
  std::vector<size_t> depth(p.nodes.size(), 0);
  for (size_t i = 1; i < p.nodes.size(); ++i) depth_max = std::max(depth_max, depth[i] = depth[p.nodes[i].parent] + 1);
  const double width = 1200, row = 18;
  const double height = row * static_cast<double>(depth_max + 1) + 40;
  std::ostringstream svg;
  std::vector<double> x(p.nodes.size(), 0);
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    double cx = x[i];
    for (uint32_t c : p.nodes[i].children) {
      x[c] = cx;
      cx += total[0] ? width * static_cast<double>(total[c]) / static_cast<double>(total[0]) : 0;
    }
    const double w = total[0] ? width * static_cast<double>(total[i]) / static_cast<double>(total[0]) : 0;
    if (w < 0.5) continue;
    const double y = height - 20 - row * static_cast<double>(depth[i] + 1);
    const ProfileNode& n = p.nodes[i];
    std::string label = i == 0 ? "all" : frame_name(n);
    std::string tip = label + (n.url.empty() ? "" : " " + n.url + ":" + std::to_string(n.line + 1)) + " — " +
                      std::to_string(total[i]) + " bytes";
    const int hue = 20 + static_cast<int>(std::hash<std::string>{}(label) % 40);
    svg << "<g><title>" << html_escape(tip) << "</title><rect x=\"" << x[i] << "\" y=\"" << y << "\" width=\"" << w
        << "\" height=\"" << row - 1 << "\" fill=\"hsl(" << hue << ",80%,60%)\"/>";
    if (w > 40)
      svg << "<text x=\"" << x[i] + 3 << "\" y=\"" << y + 13 << "\">"
          << html_escape(label.substr(0, static_cast<size_t>(w / 7))) << "</text>";
    svg << "</g>\n";
  }
  std::ostringstream html;
  html << "<!doctype html><html><head><meta charset=\"utf-8\"><title>" << html_escape(title)
       << "</title><style>body{font:12px sans-serif;margin:16px}text{font:11px monospace;pointer-events:none}"
          "rect:hover{stroke:#000}</style></head><body><h1>"
       << html_escape(title) << "</h1><p>Sampled allocations still live when sampling stopped: " << total[0]
       << " bytes. Width is bytes allocated by a function and what it calls.</p><svg width=\"" << width
       << "\" height=\"" << height << "\">\n"
       << svg.str() << "</svg></body></html>\n";
  return html.str();
}

}  // namespace heapwise
