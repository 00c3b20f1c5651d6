// Detects a reset of V8's heap object ids during a snapshot series. Any
// inspector session that closes (someone's DevTools, another tool) clears
// the ids isolate-wide: afterwards the same object gets another id, and
// snapshots before and after cannot be matched.
//
// Reading the id of a fresh object before each snapshot does not work: node 20's HeapProfiler.getHeapObjectId answers
// "0" for an object no snapshot has seen yet (V8 only looks the id up). So the sentinel is one object planted at the
// start of the series and kept alive by our object group: each of our snapshots gives it an id, and before the next one
// that id must be unchanged (a reset turns it into 0, or into a new id if someone else snapshotted meanwhile).
#pragma once

#include <cstdint>
#include <string>

#include "live/target_session.h"

namespace heapwise::live {

class ObjectIdSentinel {
 public:
  explicit ObjectIdSentinel(TargetSession& session) : session_(session) {}
  // Starts a series: plants a fresh sentinel object. Throws CdpError.
  void start();
  // After each snapshot of the series: notes the sentinel's id.
  void snapshot_taken();
  // Before the next snapshot: false when the ids were reset since the last one.
  bool ids_kept();

 private:
  uint64_t current_id();
  TargetSession& session_;
  std::string object_id_;  // the sentinel's remote object
  uint64_t noted_id_ = 0;  // 0 until a snapshot gave it an id
};

}  // namespace heapwise::live
