// The explorer's overviews: the open files, Statistics, strings, the leak
// report and the search box (see queries.h).
#include <algorithm>
#include <cctype>

#include "analysis/heap_text.h"
#include "explore/queries.h"
#include "report/leak_report.h"

namespace heapwise::explore {

namespace {

constexpr size_t kSearchHits = 20;

// A string shown in a list: its start, its length, the node.
nlohmann::ordered_json string_json(const Snapshot& s, NodeIndex n) {
  auto j = node_json(s, n);
  const std::string_view value = s.node_name(n);
  j["name"] = std::string(value.substr(0, 200));
  j["length"] = value.size();
  return j;
}

}  // namespace

nlohmann::ordered_json files_query(SnapshotSet& set, const Params&) {
  nlohmann::ordered_json out;
  auto& files = out["files"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < set.size(); ++i) {
    const Snapshot& s = set.at(i);
    files.push_back({{"index", i},
                     {"file", set.file(i)},
                     {"node_count", s.graph().node_count},
                     {"edge_count", s.graph().edge_count},
                     {"total_size", s.statistics().total},
                     {"class_count", s.aggregates().rows.size()},
                     {"root_id", s.graph().node_id[s.graph().root]}});
  }
  out["comparison"] = set.size() >= 2;
  out["leaks"] = set.size() >= 3;
  return out;
}

nlohmann::ordered_json statistics_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const Snapshot& s = set.at(f);
  const HeapStatistics& st = s.statistics();
  nlohmann::ordered_json out;
  out["total"] = st.total;
  out["v8heap_total"] = st.v8heap_total;
  out["native_total"] = st.native_total;
  // DevTools' pie chart, in its order.
  out["categories"] = nlohmann::ordered_json::array({
      {{"name", "Code"}, {"size", st.code}},
      {{"name", "Strings"}, {"size", st.strings}},
      {{"name", "JS arrays"}, {"size", st.js_arrays}},
      {{"name", "Typed arrays"}, {"size", st.typed_arrays}},
      {{"name", "System objects"}, {"size", st.system}},
      {{"name", "Other JS objects"}, {"size", st.other_js_objects()}},
      {{"name", "Other non-JS objects"}, {"size", st.other_non_js_objects()}},
  });
  auto& big = out["biggest"] = nlohmann::ordered_json::array();
  for (NodeIndex n : set.biggest_objects(f)) {
    big.push_back(node_json(s, n));
    if (big.size() == 30) break;
  }
  return out;
}

nlohmann::ordered_json strings_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const Snapshot& s = set.at(f);
  const Page page = page_of(p);
  nlohmann::ordered_json out;
  auto& biggest = out["biggest"] = nlohmann::ordered_json::array();
  for (NodeIndex n : set.biggest_strings(f)) {
    biggest.push_back(string_json(s, n));
    if (biggest.size() == 30) break;
  }
  const auto& dups = set.duplicates(f);
  uint64_t wasted = 0;
  for (const auto& d : dups) wasted += d.wasted_size;
  out["duplicate_count"] = dups.size();
  out["wasted_size"] = wasted;
  out["offset"] = page.offset;
  auto& list = out["duplicates"] = nlohmann::ordered_json::array();
  for (size_t i = page.offset; i < dups.size() && i < page.offset + page.limit; ++i) {
    const DuplicateString& d = dups[i];
    list.push_back({{"value", std::string(d.value.substr(0, 200))},
                    {"length", d.value.size()},
                    {"copies", d.copies},
                    {"total_size", d.total_size},
                    {"wasted_size", d.wasted_size},
                    {"example", s.graph().node_id[d.example]}});
  }
  const std::string q = p("q");
  if (!q.empty()) {
    auto& found = out["matches"] = nlohmann::ordered_json::array();
    const HeapGraph& g = s.graph();
    for (NodeIndex n = 0; n < g.node_count && found.size() < 100; ++n)
      if (is_string_node(g, n) && s.node_name(n).find(q) != std::string_view::npos) found.push_back(string_json(s, n));
  }
  return out;
}

nlohmann::ordered_json leaks_query(SnapshotSet& set, const Params&) { return report::leak_report_json(set.leaks()); }

nlohmann::ordered_json search_query(SnapshotSet& set, const Params& p) {
  const size_t f = set.index(p("f"));
  const Snapshot& s = set.at(f);
  const std::string q = p("q");
  nlohmann::ordered_json out;
  out["query"] = q;
  if (q.empty()) throw QueryError(400, "search for @id, a class name or a string's content");
  // "@123" or a bare number: an object.
  const std::string digits = q[0] == '@' ? q.substr(1) : q;
  if (all_digits(digits)) {
    try {
      out["object"] = node_json(s, node_of(s, digits));
    } catch (const QueryError&) {
      out["object"] = nullptr;
    }
  }
  const std::string needle = lower(q);
  auto& classes = out["classes"] = nlohmann::ordered_json::array();
  const auto& rows = s.aggregates().rows;
  for (uint32_t i = 0; i < rows.size() && classes.size() < kSearchHits; ++i)
    if (lower(rows[i].name).find(needle) != std::string::npos)
      classes.push_back(
          {{"row", i}, {"name", rows[i].name}, {"count", rows[i].count}, {"retained_size", rows[i].retained_size}});
  auto& strings = out["strings"] = nlohmann::ordered_json::array();
  const HeapGraph& g = s.graph();
  for (NodeIndex n = 0; n < g.node_count && strings.size() < kSearchHits; ++n)
    if (is_string_node(g, n) && s.node_name(n).find(q) != std::string_view::npos) strings.push_back(string_json(s, n));
  return out;
}

}  // namespace heapwise::explore
