// Finding: what a leak-pattern detector reports, in plain words.
#pragma once

#include <cstdint>
#include <string>

#include "graph/heap_graph.h"

namespace heapwise {

struct Finding {
  std::string pattern;  // stable id: "growing-collection", "event-listeners", ...
  std::string title;    // one line: what leaks
  std::string what;     // the collection or object
  std::string where;    // its holder path, and the closure's script:line when known
  // The holder as the program knows it (empty when unknown):
  std::string kind;                      // what grows: "Map", "Array", "'reload' listeners", ...
  std::string name;                      // its name: "sessions" (a closure variable or a property)
  std::string declared_at;               // where that name is declared: "src/app.js:12:7"
  std::string reached_through;           // the route from the roots to it, folded into words
  std::string created_at;                // where the leaked objects' function was created, when known
  std::string created_what;              // what was created there: "listener", "callback", "closure"
  std::string how_big;                   // size, and growth when known
  std::string fix;                       // what to do, plainly
  std::string example;                   // a small code example of the fix (may be empty)
  NodeIndex node = NodeIndex::none();    // the object the finding is about
  NodeIndex holder = NodeIndex::none();  // the holder that `name` names, when known
  uint64_t size = 0;                     // bytes it accounts for
};

}  // namespace heapwise
