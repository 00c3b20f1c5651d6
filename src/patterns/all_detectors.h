// Registers the built-in detectors, most specific first.
#pragma once

#include <memory>
#include <vector>

#include "patterns/detectors.h"

namespace heapwise {

void add_builtin_detectors(std::vector<std::unique_ptr<LeakPatternDetector>>& list);

// One factory per detector file.
std::unique_ptr<LeakPatternDetector> make_closure_context_detector();
std::unique_ptr<LeakPatternDetector> make_timer_detector();
std::unique_ptr<LeakPatternDetector> make_event_listener_detector();
std::unique_ptr<LeakPatternDetector> make_instance_registry_detector();
std::unique_ptr<LeakPatternDetector> make_object_keyed_map_detector();
std::unique_ptr<LeakPatternDetector> make_unbounded_cache_detector();
std::unique_ptr<LeakPatternDetector> make_detached_dom_detector();
std::unique_ptr<LeakPatternDetector> make_growing_collection_detector();
std::unique_ptr<LeakPatternDetector> make_duplicate_strings_detector();

}  // namespace heapwise
