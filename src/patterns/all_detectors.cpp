// The built-in detectors, most specific first (see all_detectors.h).
#include "patterns/all_detectors.h"

namespace heapwise {

void add_builtin_detectors(std::vector<std::unique_ptr<LeakPatternDetector>>& list) { (void)list; }

}  // namespace heapwise
