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
// objects get the next unused ids), and from then on that id must stay. A
// reset makes it 0, or, once someone snapshots again, a low id by its
// traversal position. Each witness is checked twice: before the next
// snapshot (a reset while waiting), and after it (a reset around it, when
// another session closes while ours is capturing); only then is it released. (In a process's very first snapshot all
// ids come by traversal order, so a reset right after that one snapshot can still go unseen.)
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
  // Before the next snapshot: false when the ids were reset since the last one.
  bool ids_kept();
  // Right before each snapshot of the series: plants a fresh witness. Throws CdpError.
  void before_snapshot();
  // After each snapshot of the series: false when the ids were reset since
  // the previous snapshot (before, during or just after this one, which
  // therefore cannot be trusted either); notes the new witness's id.
  bool snapshot_taken();

 private:
  struct Witness {
    std::string object_id;  // its remote object
    std::string group;      // the object group that keeps it alive
    uint64_t noted_id = 0;  // 0 until a snapshot gave it an id
  };
  uint64_t id_of(const Witness& w);
  void release(const Witness& w);
  TargetSession& session_;
  Witness noted_;    // planted before the last snapshot
  Witness planted_;  // planted for the next one
  uint64_t planted_count_ = 0;
};

}  // namespace heapwise::live
