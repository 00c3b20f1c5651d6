// Detects a reset of V8's heap object ids during a snapshot series. Any
// inspector session that closes (someone's DevTools, another tool) clears
// the ids isolate-wide: afterwards the same object gets another id, and
// snapshots before and after cannot be matched.
//
// Reading the id of a fresh object before each snapshot does not work: node
// 20's HeapProfiler.getHeapObjectId answers "0" for an object no snapshot
// has seen yet (V8 only looks the id up). Nor does one long-lived object:
// after a reset, the next snapshot hands ids out again in traversal order,
// so an object near the roots (ours is held by our object group) gets the
// same id it had before, and the reset goes unseen.
//
// So right before each snapshot of the series a fresh witness object is
// planted: that snapshot gives it an id from the top of the id space (new
// objects get the next unused ids), and before the next snapshot that id
// must be unchanged. After a reset the witness has no id (0), or, if
// someone snapshotted meanwhile, a low one by its traversal position. (In a
// process's very first snapshot all ids come by traversal order, so a reset
// right after that one snapshot can still go unseen.)
#pragma once

#include <cstdint>
#include <string>

#include "live/target_session.h"

namespace heapwise::live {

class ObjectIdSentinel {
 public:
  explicit ObjectIdSentinel(TargetSession& session) : session_(session) {}
  // Starts a series (forgets what earlier snapshots noted).
  void start();
  // Right before each snapshot of the series: plants a fresh witness. Throws CdpError.
  void before_snapshot();
  // After each snapshot of the series: notes the witness's id.
  void snapshot_taken();
  // Before the next snapshot: false when the ids were reset since the last one.
  bool ids_kept();

 private:
  uint64_t current_id();
  TargetSession& session_;
  std::string object_id_;  // the witness's remote object
  uint64_t noted_id_ = 0;  // 0 until a snapshot gave it an id
};

}  // namespace heapwise::live
