// Registers the built-in detectors, most specific first.
#pragma once

#include <memory>
#include <vector>

#include "patterns/detectors.h"

namespace heapwise {

void add_builtin_detectors(std::vector<std::unique_ptr<LeakPatternDetector>>& list);

}  // namespace heapwise
