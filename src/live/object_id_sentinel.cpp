// Object id reset detection (see object_id_sentinel.h).
#include "live/object_id_sentinel.h"

#include <string>

namespace heapwise::live {

namespace {
constexpr std::chrono::milliseconds kTimeout(10000);
constexpr const char* kGroup = "heapwise-sentinel";
}  // namespace

bool ObjectIdSentinel::ids_kept() {
  CdpClient& cdp = session_.cdp();
  cdp.call("HeapProfiler.enable", nlohmann::json::object(), kTimeout);
  auto r = cdp.call("Runtime.evaluate", {{"expression", "({heapwiseSentinel: true})"}, {"objectGroup", kGroup}},
                    kTimeout);
  const std::string object_id = r["result"].value("objectId", "");
  if (object_id.empty()) throw CdpError("the id sentinel object has no remote object id");
  auto id = cdp.call("HeapProfiler.getHeapObjectId", {{"objectId", object_id}}, kTimeout);
  cdp.call("Runtime.releaseObjectGroup", {{"objectGroup", kGroup}}, kTimeout);
  const uint64_t now = std::stoull(id.value("heapSnapshotObjectId", "0"));
  const bool kept = now > last_id_;
  last_id_ = now;
  return kept;
}

}  // namespace heapwise::live
