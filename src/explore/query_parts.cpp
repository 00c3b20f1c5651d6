// What the explorer's questions share (see queries.h).
#include <algorithm>
#include <cctype>

#include "explore/queries.h"

namespace heapwise::explore {

namespace {

size_t number(const Params& p, const char* name, size_t fallback, size_t most) {
  const std::string text = p(name);
  if (text.empty()) return fallback;
  if (text.size() > 9 || !all_digits(text))
    throw QueryError(400, std::string(name) + " must be a number, not '" + text.substr(0, 20) + "'");
  return std::min<size_t>(std::stoul(text), most);
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Query find_query(const std::string& name) {
  static const std::pair<const char*, Query> kQueries[] = {
      {"files", files_query},           {"summary", summary_query},         {"instances", instances_query},
      {"comparison", comparison_query}, {"new_objects", new_objects_query}, {"object", object_query},
      {"edges", edges_query},           {"retainers", retainers_query},     {"dominated", dominated_query},
      {"statistics", statistics_query}, {"strings", strings_query},         {"leaks", leaks_query},
      {"search", search_query},
  };
  for (const auto& [n, q] : kQueries)
    if (name == n) return q;
  return nullptr;
}

Page page_of(const Params& p) {
  Page page;
  page.offset = number(p, "offset", 0, 1000000000);
  page.limit = number(p, "limit", 100, 500);
  return page;
}

NodeIndex node_of(const Snapshot& s, const std::string& ref) {
  std::string digits = ref;
  if (!digits.empty() && digits[0] == '@') digits.erase(0, 1);
  if (digits.size() > 10 || !all_digits(digits))
    throw QueryError(400, "'" + ref.substr(0, 40) + "' is not an object id (write @123 or 123)");
  const uint64_t id = std::stoull(digits);
  const NodeIndex n = id > UINT32_MAX ? NodeIndex::none() : s.find_node(ObjectId(static_cast<uint32_t>(id)));
  if (n.is_none()) throw QueryError(404, "no object has id @" + digits + " in this snapshot");
  return n;
}

std::vector<uint32_t> ignored_of(const Params& p) {
  std::vector<uint32_t> ids;
  const std::string text = p("ignore");
  for (size_t at = 0; at < text.size();) {
    size_t comma = text.find(',', at);
    if (comma == std::string::npos) comma = text.size();
    std::string id = text.substr(at, comma - at);
    if (!id.empty() && id[0] == '@') id.erase(0, 1);
    if (id.size() > 10 || !all_digits(id) || std::stoull(id) > UINT32_MAX)
      throw QueryError(400, "ignore takes object ids separated by commas");
    ids.push_back(static_cast<uint32_t>(std::stoull(id)));
    at = comma + 1;
  }
  if (ids.size() > 100) throw QueryError(400, "ignore at most 100 objects");
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

nlohmann::ordered_json node_json(const Snapshot& s, NodeIndex n, const BigArray<int32_t>* distances) {
  const HeapGraph& g = s.graph();
  std::string name(s.node_name(n).substr(0, 120));
  return {{"id", g.node_id[n]},
          {"class", s.class_name(n)},
          {"name", name},
          {"type", g.type_name(n)},
          {"self_size", s.self_size(n)},
          {"retained_size", s.retained_size(n)},
          {"distance", distances ? (*distances)[n] : s.distance(n)}};
}

}  // namespace heapwise::explore
