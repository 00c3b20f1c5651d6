// Object id reset detection (see object_id_sentinel.h).
#include "live/object_id_sentinel.h"

#include <string>

namespace heapwise::live {

namespace {
constexpr std::chrono::milliseconds kTimeout(10000);
}  // namespace

void ObjectIdSentinel::start() {
  release(noted_);
  noted_ = Witness{};
}

uint64_t ObjectIdSentinel::id_of(const Witness& w) {
  session_.cdp().call("HeapProfiler.enable", nlohmann::json::object(), kTimeout);
  auto id = session_.cdp().call("HeapProfiler.getHeapObjectId", {{"objectId", w.object_id}}, kTimeout);
  return std::stoull(id.value("heapSnapshotObjectId", "0"));
}

void ObjectIdSentinel::release(const Witness& w) {
  if (!w.group.empty()) session_.cdp().call("Runtime.releaseObjectGroup", {{"objectGroup", w.group}}, kTimeout);
}

bool ObjectIdSentinel::ids_kept() { return noted_.noted_id == 0 || id_of(noted_) == noted_.noted_id; }

void ObjectIdSentinel::before_snapshot() {
  release(planted_);
  // Each witness has a group of its own, so the previous one stays alive
  // until it has been checked after this snapshot.
  Witness w;
  w.group = "heapwise-witness-" + std::to_string(++planted_count_);
  auto r = session_.cdp().call("Runtime.evaluate",
                               {{"expression", "({heapwiseWitness: true})"}, {"objectGroup", w.group}}, kTimeout);
  w.object_id = r["result"].value("objectId", "");
  if (w.object_id.empty()) throw CdpError("the id witness object has no remote object id");
  planted_ = std::move(w);
}

bool ObjectIdSentinel::snapshot_taken() {
  const bool kept = ids_kept();
  release(noted_);
  noted_ = std::move(planted_);
  planted_ = Witness{};
  noted_.noted_id = id_of(noted_);
  return kept;
}

}  // namespace heapwise::live
