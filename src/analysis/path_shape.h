// The shape of a retainer path: its steps from the root ("edge: Class"),
// with index-like edge names ([] for elements and hash-table slots, [key]
// for a dictionary's properties) so that every entry of one collection has
// the same shape, and repeated blocks (a linked list, a chain of contexts)
// collapsed. Leak groups are objects of one shape.
//
// Steps are interned: a shape is compared and hashed as a string of step
// ids, and each step's text is built once per node, however many paths
// pass through it.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/retainer_paths.h"
#include "analysis/snapshot.h"
#include "util/big_array.h"

namespace heapwise {

// One step of a path shape, as shown.
struct ShapeStep {
  std::string text;
  bool repeated = false;  // stood for several consecutive identical steps
};

using StepId = uint32_t;

// Step texts and their ids; shared by the snapshots of a series, so equal
// steps in different snapshots have equal ids.
class StepTable {
 public:
  StepId intern(const std::string& text);
  const std::string& text(StepId id) const { return texts_[id]; }

 private:
  std::unordered_map<std::string, StepId> ids_;
  std::deque<std::string> texts_;
};

// A step of a collapsed shape.
struct ShapeStepId {
  StepId step;
  bool repeated = false;
};
using ShapeIds = std::vector<ShapeStepId>;

// A shape's identity: its step ids, with each repeated block replaced by one
// marker (a chain of some links), so a doubly linked list walked either way
// is one shape.
using ShapeKey = std::string;
ShapeKey shape_key(const ShapeIds& shape);

// Replaces runs of a repeated block of 1-4 steps by one marked block.
void collapse_repeats(ShapeIds& steps);

// A node's parent on its shortest path: the edge, and the node owning it
// (kept, as finding an edge's owner is a binary search over the nodes).
struct PathParent {
  EdgeIndex edge = EdgeIndex::none();
  NodeIndex owner = NodeIndex::none();
};

// The shortest-path parent of every node (none when unreachable), chosen as
// retainer paths are, so paths and shapes agree.
BigArray<PathParent> shortest_path_parents(const Snapshot& s);

// The path shapes of one snapshot.
class PathShapes {
 public:
  PathShapes(const Snapshot& s, StepTable& steps);

  const Snapshot& snapshot() const { return s_; }
  // Whether n has a path from the root.
  bool reachable(NodeIndex n) const { return !parents_[n].edge.is_none(); }
  // The object holding n on its path (its parent edge's owner).
  NodeIndex holder(NodeIndex n) const { return parents_[n].owner; }
  // The step into n: its class when the root holds it, else "edge: Class".
  StepId step_into(NodeIndex n);
  // n's steps from the root, repeats not collapsed; its edges in *path.
  ShapeIds raw_steps(NodeIndex n, RetainerPath* path = nullptr);
  // n's shape (repeats collapsed).
  ShapeIds shape(NodeIndex n, RetainerPath* path = nullptr);
  std::vector<ShapeStep> texts(const ShapeIds& shape) const;

 private:
  const Snapshot& s_;
  StepTable& steps_;
  BigArray<PathParent> parents_;
  // Per node: its step id + 1, 0 until asked. Mapped memory: only the
  // pages of nodes on walked paths are ever touched.
  BigArray<StepId> step_of_node_;
  // Step ids by what their text is made of (see step_parts in the .cpp):
  // the millions of entries of one collection share a step, whose text is
  // then built once, not once per entry.
  struct StepParts {
    uint64_t edge, target_class;
    bool operator==(const StepParts&) const = default;
  };
  struct StepPartsHash {
    size_t operator()(const StepParts& p) const;
  };
  std::unordered_map<StepParts, StepId, StepPartsHash> step_of_parts_;
};

// "global › sessions: Map › table (internal): (array) › [] (internal): Session"
std::string shape_text(const std::vector<ShapeStep>& shape);

}  // namespace heapwise
