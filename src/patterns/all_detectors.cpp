// The built-in detectors, most specific first (see all_detectors.h): a group
// gets the verdict of the first detector that recognises it, so the
// collection fallback comes last.
#include "patterns/all_detectors.h"

namespace heapwise {

void add_builtin_detectors(std::vector<std::unique_ptr<LeakPatternDetector>>& list) {
  list.push_back(make_closure_context_detector());
  list.push_back(make_detached_dom_detector());
  list.push_back(make_timer_detector());
  list.push_back(make_event_listener_detector());
  list.push_back(make_instance_registry_detector());
  list.push_back(make_object_keyed_map_detector());
  list.push_back(make_unbounded_cache_detector());
  list.push_back(make_growing_collection_detector());
  list.push_back(make_duplicate_strings_detector());
}

}  // namespace heapwise
