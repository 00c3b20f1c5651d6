// Object id reset detection (see object_id_sentinel.h).
#include "live/object_id_sentinel.h"

#include <string>

namespace heapwise::live {

namespace {
constexpr std::chrono::milliseconds kTimeout(10000);
// Our remote objects live in this group; releasing it frees the sentinel.
constexpr const char* kGroup = "heapwise-sentinel";
}  // namespace

void ObjectIdSentinel::start() { noted_id_ = 0; }

void ObjectIdSentinel::before_snapshot() {
  CdpClient& cdp = session_.cdp();
  // The previous witness has served: it is released with its group.
  cdp.call("Runtime.releaseObjectGroup", {{"objectGroup", kGroup}}, kTimeout);
  auto r =
      cdp.call("Runtime.evaluate", {{"expression", "({heapwiseSentinel: true})"}, {"objectGroup", kGroup}}, kTimeout);
  object_id_ = r["result"].value("objectId", "");
  if (object_id_.empty()) throw CdpError("the id sentinel object has no remote object id");
}

uint64_t ObjectIdSentinel::current_id() {
  session_.cdp().call("HeapProfiler.enable", nlohmann::json::object(), kTimeout);
  auto id = session_.cdp().call("HeapProfiler.getHeapObjectId", {{"objectId", object_id_}}, kTimeout);
  return std::stoull(id.value("heapSnapshotObjectId", "0"));
}

void ObjectIdSentinel::snapshot_taken() { noted_id_ = current_id(); }

bool ObjectIdSentinel::ids_kept() { return noted_id_ == 0 || current_id() == noted_id_; }

}  // namespace heapwise::live
