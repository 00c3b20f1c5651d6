// Retainer paths: why an object is alive. The K shortest paths from the root
// to a node over the edges DevTools' distances use (never weak ones), walked
// backwards along retainers whose distance is exactly one less.
#pragma once

#include <vector>

#include "analysis/snapshot.h"
#include "graph/retainer_index.h"

namespace heapwise {

// Edges from the root's child to the target, in order; path[0] is the edge
// leaving the root.
using RetainerPath = std::vector<EdgeIndex>;

// Up to k shortest paths to `target` (none when it is unreachable or only
// weakly held). Deterministic: strong named edges are preferred over internal ones.
std::vector<RetainerPath> shortest_retainer_paths(const Snapshot& s, const RetainerIndex& retainers, NodeIndex target,
                                                  size_t k);

// Whether a retainer edge counts for paths (the filter of DevTools' distances).
bool is_path_edge(const Snapshot& s, NodeIndex owner, EdgeIndex e);
// Whether owner u is one step closer to the roots than v (so u -> v can be on a shortest path).
bool is_closer_retainer(const Snapshot& s, NodeIndex u, NodeIndex v);
// Lower is shown first: what a program names beats V8's internal links.
int edge_preference(const HeapGraph& g, EdgeIndex e);

}  // namespace heapwise
