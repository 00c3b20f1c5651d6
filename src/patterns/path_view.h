// Helpers the detectors share: a retainer path as steps with names, and
// questions about the objects on it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/leak_groups.h"
#include "analysis/object_kinds.h"
#include "analysis/snapshot.h"
#include "patterns/finding.h"

namespace heapwise {

struct PathStep {
  EdgeIndex edge;
  NodeIndex from, to;
  std::string edge_name;  // raw name (or index as text)
  int edge_type;
  std::string to_class;
};

std::vector<PathStep> path_steps(const Snapshot& s, const RetainerPath& path);

// Number of element / table entries a collection holds (Array elements,
// Map/Set table slots pointing at objects or strings).
uint64_t entry_count(const Snapshot& s, NodeIndex n);

// Index of the last step whose target is a collection (Map, Set, Array,
// dictionary Object) before the leaked object; -1 if none.
int last_collection_step(const Snapshot& s, const std::vector<PathStep>& steps);

// The collection nearest the leaked object on a group's example path.
struct CollectionHolder {
  std::vector<PathStep> steps;         // the example path
  int step = -1;                       // index of the step into the collection
  NodeIndex node = NodeIndex::none();  // the collection
  std::string name;                    // what the program calls it (holder_name)
};
std::optional<CollectionHolder> collection_holder(const Snapshot& s, const LeakGroup& g);
// "Map", "Set", "Array" or "object used as a dictionary".
std::string collection_kind(const Snapshot& s, NodeIndex collection);

// Calls fn(node, name) for each collection (Map, Set, Array, dictionary
// Object) that a property or closure variable names and that retains at
// least min_retained bytes.
void for_each_named_collection(const Snapshot& s, uint64_t min_retained,
                               const std::function<void(NodeIndex, const std::string&)>& fn);

// The name a program gives the holder at step i: the property or closure
// variable that leads to it, looking back past internal steps.
std::string holder_name(const std::vector<PathStep>& steps, int i);
// Names the holder reached at step `i` as the program knows it: fills the
// finding's name, declared_at (for a closure variable: its declaration in
// the script, analysis/declarations.h) and reached_through.
void name_holder(Finding& f, const Snapshot& s, const std::vector<PathStep>& steps, int i);
// The route to step `i` in words, runtime plumbing left out: "the 'request'
// listener of Server", "a timer callback", else the last names on the way.
std::string reached_through(const std::vector<PathStep>& steps, int i);

// "script 12:40:3" or "server.js:40:3" for a closure or object, "" if unknown.
std::string created_at(const Snapshot& s, NodeIndex n);

std::string growth_text(const LeakGroup& g);

// A group's verdict with the fields every detector fills the same way: the
// shape as `where`, the growth as `how_big`, the example object and bytes.
Finding group_verdict(const char* pattern, const LeakGroup& g, std::string title, std::string what, std::string fix,
                      std::string example);
// A single-snapshot finding about node n, which retains `size`.
Finding snapshot_finding(const char* pattern, NodeIndex n, uint64_t size, std::string title, std::string what,
                         std::string how_big, const char* fix, const char* example);

}  // namespace heapwise
