// The explorer's questions: each takes the request's parameters and answers
// one small JSON document (a page of rows, one object), so the page stays
// fast whatever the snapshot's size. Sizes are bytes and ids V8's, exactly as
// the CLI's --json prints them; the page formats them.
//
// Parameters: f (file number, default 0), id (a V8 object id, "@123" or
// "123"), offset and limit (paging; limit at most 500), and per question:
//   files                            the open files
//   summary      filter, sort        the class rows (DevTools' Summary)
//   instances    row                 a class's objects, biggest retained first
//   object       id                  one object: sizes, location, stack, dominator chain
//   edges        id                  its outgoing edges, biggest target first
//   retainers    id, ignore          what refers to it, closest to the roots first; with
//                                    ignore=ID,ID the distances skip those objects
//                                    (DevTools' "ignore this retainer")
//   dominated    id (default root)   its children in the dominator tree
//   statistics                       DevTools' categories, the biggest objects
//   strings      q                   biggest and duplicated strings; strings containing q
//   comparison   base                per class: new, deleted, deltas since file `base`
//   new_objects  base, key           the objects of a class new since `base`
//   leaks                            the `leaks` report on all the files, in order
//   search       q                   @id, class names, string values
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "explore/snapshot_set.h"

namespace heapwise::explore {

// A request parameter's value ("" when absent).
using Params = std::function<std::string(const std::string& name)>;
using Query = nlohmann::ordered_json (*)(SnapshotSet& set, const Params& params);

// The question of that name, or nullptr.
Query find_query(const std::string& name);

// The questions, by file (class_queries.cpp, object_queries.cpp, overview_queries.cpp).
nlohmann::ordered_json files_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json summary_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json instances_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json comparison_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json new_objects_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json object_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json edges_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json retainers_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json dominated_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json statistics_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json strings_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json leaks_query(SnapshotSet& set, const Params& p);
nlohmann::ordered_json search_query(SnapshotSet& set, const Params& p);

// Shared by the questions (query_parts.cpp).
// Lower case (ASCII), for the case-blind class filters.
std::string lower(std::string_view text);
// Whether `text` is one or more decimal digits.
bool all_digits(std::string_view text);
struct Page {
  size_t offset = 0, limit = 100;
};
Page page_of(const Params& p);
// The node of ?id= in file f; QueryError 404 with a clear message when none.
NodeIndex node_of(const Snapshot& s, const std::string& ref);
// How every object is shown in a list: id, class, name, type, sizes, distance
// (from `distances` when given: the retainers view's, with objects ignored).
nlohmann::ordered_json node_json(const Snapshot& s, NodeIndex n, const BigArray<int32_t>* distances = nullptr);
// The ids of ?ignore=ID,ID (sorted, at most 100); QueryError 400 when malformed.
std::vector<uint32_t> ignored_of(const Params& p);

}  // namespace heapwise::explore
