// Detects a reset of V8's heap object ids during a snapshot series. Any
// inspector session that closes (someone's DevTools, another tool) clears
// the ids isolate-wide, and then the same object gets a new, smaller id:
// snapshots before and after cannot be matched. V8 hands out ids in
// increasing order, so the id of a fresh object must exceed the previous
// fresh object's; if it does not, the ids were reset.
#pragma once

#include <cstdint>

#include "live/target_session.h"

namespace heapwise::live {

class ObjectIdSentinel {
 public:
  explicit ObjectIdSentinel(TargetSession& session) : session_(session) {}
  // Allocates a fresh object in the target and reads its id. Returns false
  // when the ids were reset since the previous check. Throws CdpError.
  bool ids_kept();
  void forget() { last_id_ = 0; }

 private:
  TargetSession& session_;
  uint64_t last_id_ = 0;
};

}  // namespace heapwise::live
