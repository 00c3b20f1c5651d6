// The explorer's class tables: Summary rows, a class's instances, and
// DevTools' Comparison with the new objects of a class (see queries.h).
#include <algorithm>
#include <cctype>

#include "explore/queries.h"

namespace heapwise::explore {

nlohmann::ordered_json summary_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const Snapshot& s = set.at(f);
  const std::string filter = lower(p("filter")), sort = p("sort").empty() ? "retained" : p("sort");
  if (sort != "retained" && sort != "shallow" && sort != "count" && sort != "distance" && sort != "name")
    throw QueryError(400, "sort must be retained, shallow, count, distance or name");
  const auto& all = s.aggregates().rows;
  std::vector<uint32_t> rows;
  for (uint32_t i = 0; i < all.size(); ++i)
    if (filter.empty() || lower(all[i].name).find(filter) != std::string::npos) rows.push_back(i);
  // As the summary command: the chosen column, then retained size, then the key.
  std::stable_sort(rows.begin(), rows.end(), [&](uint32_t ia, uint32_t ib) {
    const ClassAggregate &a = all[ia], &b = all[ib];
    if (sort == "name" && a.name != b.name) return a.name < b.name;
    if (sort == "shallow" && a.self_size != b.self_size) return a.self_size > b.self_size;
    if (sort == "count" && a.count != b.count) return a.count > b.count;
    if (sort == "distance" && a.distance != b.distance) return a.distance < b.distance;
    if (a.retained_size != b.retained_size) return a.retained_size > b.retained_size;
    return a.key < b.key;
  });
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  out["total_size"] = s.statistics().total;
  out["class_count"] = rows.size();
  out["offset"] = page.offset;
  auto& list = out["classes"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < rows.size() && i < page.offset + page.limit; ++i) {
    const ClassAggregate& r = all[rows[i]];
    list.push_back({{"row", rows[i]},
                    {"name", r.name},
                    {"key", r.key},
                    {"count", r.count},
                    {"distance", r.distance},
                    {"self_size", r.self_size},
                    {"retained_size", r.retained_size}});
  }
  return out;
}

nlohmann::ordered_json instances_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const Snapshot& s = set.at(f);
  const std::string row_text = p("row");
  if (row_text.size() > 9 || !all_digits(row_text)) throw QueryError(400, "row must be a class row number");
  const uint32_t row = static_cast<uint32_t>(std::stoul(row_text));
  if (row >= s.aggregates().rows.size()) throw QueryError(404, "there is no class row " + row_text + " in this file");
  const auto& nodes = set.instances(f, row);
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  out["class"] = s.aggregates().rows[row].name;
  out["count"] = nodes.size();
  out["offset"] = page.offset;
  auto& list = out["instances"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < nodes.size() && i < page.offset + page.limit; ++i)
    list.push_back(node_json(s, nodes[i]));
  return out;
}

nlohmann::ordered_json comparison_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const size_t base = set.index(p("base"));
  if (base == f) throw QueryError(400, "compare two different files");
  const auto& rows = set.comparison(base, f);
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  out["base"] = set.file(base);
  out["file"] = set.file(f);
  out["class_count"] = rows.size();
  out["offset"] = page.offset;
  auto& list = out["classes"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < rows.size() && i < page.offset + page.limit; ++i) {
    const ClassDiff& r = rows[i];
    list.push_back({{"name", r.name},
                    {"key", r.key},
                    {"new", r.new_count},
                    {"deleted", r.deleted_count},
                    {"count_delta", r.count_delta()},
                    {"allocated_size", r.allocated_size},
                    {"freed_size", r.freed_size},
                    {"size_delta", r.size_delta()}});
  }
  return out;
}

nlohmann::ordered_json new_objects_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const size_t base = set.index(p("base"));
  const std::string key = p("key");
  const Snapshot& s = set.at(f);
  const auto& base_ids = set.ids(base);
  const auto& rows = s.aggregates().rows;
  const auto row = std::find_if(rows.begin(), rows.end(), [&](const ClassAggregate& r) { return r.key == key; });
  if (row == rows.end()) throw QueryError(404, "no class with key '" + key.substr(0, 80) + "' in this file");
  std::vector<NodeIndex> fresh;
  for (NodeIndex n : set.instances(f, static_cast<uint32_t>(row - rows.begin())))
    if (!base_ids.contains(s.graph().node_id[n])) fresh.push_back(n);
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  out["class"] = row->name;
  out["count"] = fresh.size();
  out["offset"] = page.offset;
  auto& list = out["objects"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < fresh.size() && i < page.offset + page.limit; ++i)
    list.push_back(node_json(s, fresh[i]));
  return out;
}

}  // namespace heapwise::explore
