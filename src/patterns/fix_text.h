// Fixes written for one finding: the advice names the real collection,
// emitter and event, and the example fits the kind of holder (a Map is
// pruned with delete, an Array with a cap, listeners with off), so a
// developer can paste it next to the code the finding points at.
#pragma once

#include <string>

namespace heapwise {

struct FixText {
  std::string advice;
  std::string example;
};

// A collection that only grows: `kind` is "Map", "Set", "Array" or
// "object used as a dictionary"; `name` what the program calls it ("" if
// unknown); `entry` the class of what it accumulates.
FixText growing_collection_fix(const std::string& kind, const std::string& name, const std::string& entry);

// A Map or Set (`kind`) keyed by objects: a WeakMap / WeakSet fits, since
// its entries go with their keys.
FixText weak_collection_fix(const std::string& kind, const std::string& name);

// Class `cls` keeps every instance in its static `field`.
FixText registry_fix(const std::string& cls, const std::string& field);

// Listeners for `event` added to `emitter` (its name, or "" if unknown) and never removed.
FixText listener_fix(const std::string& emitter, const std::string& event);

// Detached DOM trees (`element`, e.g. `<div class="row">`) kept by a
// collection of `kind` named `name` ("" if unknown) after they left the page.
FixText detached_dom_fix(const std::string& kind, const std::string& name, const std::string& element);

}  // namespace heapwise
