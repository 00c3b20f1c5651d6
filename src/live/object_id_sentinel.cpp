// Object id reset detection (see object_id_sentinel.h).
#include "live/object_id_sentinel.h"

#include <charconv>
#include <string>

#include "live/cdp_fields.h"

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
  auto reply = session_.cdp().call("HeapProfiler.getHeapObjectId", {{"objectId", w.object_id}}, kTimeout);
  const std::string text = string_field(reply, "heapSnapshotObjectId");
  uint64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    throw CdpError("HeapProfiler.getHeapObjectId answered no object id");
  return id;
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
  w.object_id = string_field(field(r, "result"), "objectId");
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
