// What heapwise does with the inspector's messages, on any messages. The
// input is a script: each line is one message the "inspector" sends, in
// order, whatever was asked (a reply to the awaited request needs the right
// id: requests are numbered from 1, as the real client numbers them). Every
// line goes through the real client's sort_message(); the replies and events
// reach the real operations: memory sampling, a snapshot capture, a
// sampling profile, the object-id sentinel, allocation tracking. When the
// script runs out, calls time out as with a silent target. CdpError is the
// documented failure; anything else escaping (a JSON type error, a crash,
// a partial file left behind) is a finding.
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "live/allocation_tracking.h"
#include "live/cdp_client.h"
#include "live/memory_sampler.h"
#include "live/object_id_sentinel.h"
#include "live/sampling_capture.h"
#include "live/snapshot_capture.h"
#include "live/target_session.h"

namespace {

using heapwise::live::CdpClient;
using heapwise::live::CdpMessage;

class ScriptedInspector final : public CdpClient {
 public:
  explicit ScriptedInspector(std::vector<std::string> lines) : lines_(std::move(lines)) {}

  nlohmann::json call(const std::string& method, const nlohmann::json&, std::chrono::milliseconds,
                      const EventHandler& on_event) override {
    const int64_t id = ++last_id_;
    while (next_ < lines_.size()) {
      CdpMessage m = heapwise::live::sort_message(lines_[next_++], id);
      if (m.kind == CdpMessage::kReply) return std::move(m.body);
      if (m.kind == CdpMessage::kErrorReply) throw heapwise::live::CdpError(method + " failed: " + m.text);
      if (m.kind == CdpMessage::kEvent && on_event) on_event(m.text, m.body);
    }
    throw heapwise::live::CdpTimeout("the script ended before the reply to " + method);
  }
  bool wait_events(std::chrono::milliseconds, const EventHandler& on_event) override {
    while (next_ < lines_.size()) {
      CdpMessage m = heapwise::live::sort_message(lines_[next_++], 0);
      if (m.kind == CdpMessage::kEvent && on_event) on_event(m.text, m.body);
    }
    return false;
  }
  void send(const std::string&, const nlohmann::json&) override { ++last_id_; }
  void close() override {}

 private:
  std::vector<std::string> lines_;
  size_t next_ = 0;
  int64_t last_id_ = 0;
};

std::vector<std::string> lines_of(const uint8_t* data, size_t size) {
  std::vector<std::string> lines;
  std::string line;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      lines.push_back(std::move(line));
      line.clear();
    } else {
      line.push_back(static_cast<char>(data[i]));
    }
  }
  lines.push_back(std::move(line));
  return lines;
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

// Each operation on a fresh session over the same script.
template <typename Operation>
void with_session(const std::vector<std::string>& lines, const Operation& operation) {
  heapwise::live::TargetSession session(std::make_unique<ScriptedInspector>(lines));
  try {
    operation(session);
  } catch (const heapwise::live::CdpError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace heapwise::live;
  const auto lines = lines_of(data, size);
  const std::string out = heapwise::fuzz::write_input(nullptr, 0, ".capture");
  std::remove(out.c_str());

  with_session(lines, [](TargetSession& s) {
    MemorySampler sampler(s);
    sampler.sample(0, [](const std::string&, const nlohmann::json&) {});
    sampler.heap_limit();
    sampler.node_version();
  });
  with_session(lines, [&](TargetSession& s) {
    try {
      capture_heap_snapshot(s, out, CaptureOptions{});
    } catch (const CdpError&) {
      if (exists(out)) __builtin_trap();  // a failed capture leaves nothing behind
      throw;
    }
  });
  std::remove(out.c_str());
  with_session(lines, [&](TargetSession& s) {
    SamplingOptions options;
    options.duration = std::chrono::milliseconds(0);
    try {
      record_sampling_profile(s, out, options);
    } catch (const CdpError&) {
      if (exists(out) || exists(out + ".partial")) __builtin_trap();
      throw;
    }
  });
  std::remove(out.c_str());
  with_session(lines, [](TargetSession& s) {
    ObjectIdSentinel sentinel(s);
    sentinel.start();
    sentinel.before_snapshot();
    sentinel.snapshot_taken();
    sentinel.ids_kept();
  });
  with_session(lines, [](TargetSession& s) { AllocationTracking tracking(s); });
  return 0;
}
