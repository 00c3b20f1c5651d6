// Class names: DevTools' calculateObjectNames, inferInterfaceDefinitions and
// applyInterfaceDefinitions, with JavaScript string semantics (UTF-16 lengths
// and ordering) so that names and groupings come out identical.
#include "analysis/class_names.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>

#include "analysis/js_text.h"

namespace heapwise {

namespace {

constexpr size_t kMinInterfacePropertyCount = 1;
constexpr size_t kMaxInterfaceNameLength = 120;
constexpr double kMinObjectCountPerInterface = 2;
constexpr double kMinObjectProportionPerInterface = 1000;

bool is_plain_object(const HeapGraph& g, const DomState& dom, NodeIndex n) {
  return g.node_type[n] == g.node_types.object && g.strings[dom.name_of(g, n)] == "Object";
}

// Names added by calculateObjectNames, deduplicated among themselves only.
class AddedNames {
 public:
  explicit AddedNames(NameTable& names) : names_(names) {}
  uint32_t get(const std::string& s) {
    auto it = map_.find(s);
    if (it != map_.end()) return it->second;
    uint32_t i = names_.add(s);
    map_.emplace(s, i);
    return i;
  }

 private:
  NameTable& names_;
  std::unordered_map<std::string, uint32_t> map_;
};

// The property tree of applyInterfaceDefinitions: each edge adds one
// property, in sorted order.
struct PropertyTreeNode {
  std::map<std::string, size_t, std::less<>> next;  // property -> tree node
  const std::string* greatest_next = nullptr;
  int match = -1;  // index into definitions
  size_t match_props = 0;
};

}  // namespace

std::vector<InterfaceDefinition> infer_interface_definitions(const HeapGraph& g, const DomState& dom) {
  struct Candidate {
    InterfaceDefinition def;
    size_t count;
  };
  std::vector<Candidate> candidates;
  std::unordered_map<std::string, size_t> by_name;
  size_t total = 0;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    if (!is_plain_object(g, dom, n)) continue;
    ++total;
    std::string name = "{";
    size_t name_len = 1;  // in UTF-16 units
    std::vector<std::string> props;
    for (EdgeIndex e : g.edges_of(n)) {
      if (g.edge_type_of(e) != g.edge_types.property) continue;
      std::string_view edge_name = g.strings[g.edge_name[e]];
      if (edge_name == "__proto__") continue;
      std::string formatted = js::format_property_name(edge_name);
      size_t flen = js::utf16_length(formatted);
      if (name_len > kMinInterfacePropertyCount && name_len + flen > kMaxInterfaceNameLength) break;
      if (name_len != 1) {
        name += ", ";
        name_len += 2;
      }
      name += formatted;
      name_len += flen;
      props.emplace_back(edge_name);
    }
    if (props.empty()) continue;
    name += '}';
    auto it = by_name.find(name);
    if (it != by_name.end()) {
      ++candidates[it->second].count;
    } else {
      by_name.emplace(name, candidates.size());
      candidates.push_back({{name, std::move(props)}, 1});
    }
  }
  // Array.prototype.sort is stable: ties keep first-seen order.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.count > b.count; });
  double min_count =
      std::max(kMinObjectCountPerInterface, static_cast<double>(total) / kMinObjectProportionPerInterface);
  std::vector<InterfaceDefinition> result;
  for (auto& c : candidates) {
    if (static_cast<double>(c.count) < min_count) break;
    result.push_back(std::move(c.def));
  }
  return result;
}

namespace {

void apply_interface_definitions(const HeapGraph& g, const DomState& dom, const std::vector<InterfaceDefinition>& defs,
                                 NameTable& names, BigArray<uint32_t>& class_index) {
  std::vector<PropertyTreeNode> tree(1);
  for (size_t d = 0; d < defs.size(); ++d) {
    std::vector<std::string> props = defs[d].properties;
    std::sort(props.begin(), props.end(),
              [](const std::string& a, const std::string& b) { return js::utf16_less(a, b); });
    size_t cur = 0;
    for (const auto& prop : props) {
      auto it = tree[cur].next.find(prop);
      if (it == tree[cur].next.end()) {
        size_t child = tree.size();
        tree.emplace_back();
        it = tree[cur].next.emplace(prop, child).first;
        if (!tree[cur].greatest_next || js::utf16_less(*tree[cur].greatest_next, prop))
          tree[cur].greatest_next = &it->first;
      }
      cur = it->second;
    }
    if (tree[cur].match < 0) {
      tree[cur].match = static_cast<int>(d);
      tree[cur].match_props = props.size();
    }
  }
  // selectBetterMatch: more properties wins, then the earlier definition.
  auto better = [](int a, size_t a_props, int b, size_t b_props) {
    if (b < 0) return false;
    if (a < 0) return true;
    if (b_props != a_props) return b_props > a_props;
    return b < a;
  };
  std::unordered_map<int, uint32_t> interface_index;
  std::vector<std::string_view> props;
  std::vector<size_t> states, next_states;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    if (!is_plain_object(g, dom, n)) continue;
    props.clear();
    for (EdgeIndex e : g.edges_of(n))
      if (g.edge_type_of(e) == g.edge_types.property) props.push_back(g.strings[g.edge_name[e]]);
    std::sort(props.begin(), props.end(), js::utf16_less);
    int match = -1;
    size_t match_props = 0;
    if (tree[0].match >= 0) {
      match = tree[0].match;
      match_props = tree[0].match_props;
    }
    states.assign(1, 0);
    for (std::string_view prop : props) {
      if (states.empty()) break;
      next_states.clear();
      for (size_t s : states) {
        const auto& node = tree[s];
        // A state whose greatest transition is behind us can never move again.
        if (node.greatest_next && js::utf16_compare(prop, *node.greatest_next) < 0) next_states.push_back(s);
        auto it = node.next.find(prop);
        if (it != node.next.end()) {
          next_states.push_back(it->second);
          const auto& nx = tree[it->second];
          if (better(match, match_props, nx.match, nx.match_props)) {
            match = nx.match;
            match_props = nx.match_props;
          }
        }
      }
      std::sort(next_states.begin(), next_states.end());
      next_states.erase(std::unique(next_states.begin(), next_states.end()), next_states.end());
      states.swap(next_states);
    }
    if (match < 0) {
      class_index[n] = dom.name_of(g, n);
    } else {
      auto it = interface_index.find(match);
      if (it == interface_index.end())
        it = interface_index.emplace(match, names.add(defs[static_cast<size_t>(match)].name)).first;
      class_index[n] = it->second;
    }
  }
}

}  // namespace

ClassNames compute_class_names(const HeapGraph& g, const DomState& dom, NameTable& names) {
  ClassNames out;
  out.class_index.resize(g.node_count);
  AddedNames added(names);
  const uint32_t hidden = added.get("(system)"), code = added.get("(compiled code)"), function = added.get("Function"),
                 regexp = added.get("RegExp");
  const auto& types = g.node_types;
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    int t = g.node_type[n];
    uint32_t c;
    if (t == types.hidden) {
      c = hidden;
    } else if (t == types.object || t == types.native) {
      uint32_t name_index = dom.name_of(g, n);
      std::string_view name = names[name_index];
      if (!name.empty() && name[0] == '<') {
        size_t space = name.find(' ');
        c = added.get(space == std::string_view::npos ? std::string(name) : std::string(name.substr(0, space)) + ">");
      } else if (name.substr(0, 10) == "Detached <") {
        size_t space = name.find(' ', 10);
        c = added.get(space == std::string_view::npos ? std::string(name) : std::string(name.substr(0, space)) + ">");
      } else {
        c = name_index;
      }
    } else if (t == types.code) {
      c = code;
    } else if (t == types.closure) {
      c = function;
    } else if (t == types.regexp) {
      c = regexp;
    } else {
      c = added.get("(" + g.node_type_names[static_cast<size_t>(t)] + ")");
    }
    out.class_index[n] = c;
  }
  out.interfaces = infer_interface_definitions(g, dom);
  apply_interface_definitions(g, dom, out.interfaces, names, out.class_index);
  return out;
}

}  // namespace heapwise
