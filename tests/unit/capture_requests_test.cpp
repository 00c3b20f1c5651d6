// Requested captures: one at a time, rationed after each capture, answered
// when the watch ends; the disk check made before a capture.
#include "watch/capture_requests.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "watch/capture_budget.h"

namespace heapwise::watch {
namespace {

using Status = CaptureOutcome::Status;

struct Answers {
  std::vector<CaptureOutcome> got;
  CaptureRequests::Done done() {
    return [this](const CaptureOutcome& o) { got.push_back(o); };
  }
};

CaptureOutcome taken() {
  CaptureOutcome o;
  o.file = "snapshot.heapsnapshot";
  return o;
}

TEST(CaptureRation, AutomaticIntervalKeepsTheTargetStoppedAtMostFivePercent) {
  const CaptureRation automatic;
  EXPECT_DOUBLE_EQ(automatic.interval_after(0.5), 30);
  EXPECT_DOUBLE_EQ(automatic.interval_after(6), 120);
  EXPECT_DOUBLE_EQ(automatic.wait(1000, -1, 0), 0);
  EXPECT_DOUBLE_EQ(automatic.wait(1010, 1000, 0.5), 20);
  EXPECT_DOUBLE_EQ(automatic.wait(1031, 1000, 0.5), 0);
  const CaptureRation fixed{5.0};
  EXPECT_DOUBLE_EQ(fixed.interval_after(60), 5);
}

TEST(CaptureRequests, ASecondRequestWhileOneWaitsIsBusy) {
  CaptureRequests requests;
  Answers a;
  requests.submit(a.done(), 1000);
  requests.submit(a.done(), 1000);
  ASSERT_EQ(a.got.size(), 1u);
  EXPECT_EQ(a.got[0].status, Status::busy);
  EXPECT_TRUE(requests.pending());
  requests.serve([] { return taken(); });
  ASSERT_EQ(a.got.size(), 2u);
  EXPECT_EQ(a.got[1].status, Status::taken);
  EXPECT_FALSE(requests.pending());
}

TEST(CaptureRequests, RequestsAfterACaptureAreRationed) {
  CaptureRequests requests;
  Answers a;
  requests.captured(1000, 2);  // a hunt's capture counts too
  requests.submit(a.done(), 1010);
  ASSERT_EQ(a.got.size(), 1u);
  EXPECT_EQ(a.got[0].status, Status::rationed);
  EXPECT_DOUBLE_EQ(a.got[0].retry_after, 30);  // 20 × 2 s, 10 s of it gone
  EXPECT_NE(a.got[0].reason.find("one per 40 s (--capture-interval); try again in 30 s"), std::string::npos)
      << a.got[0].reason;
  requests.submit(a.done(), 1041);
  EXPECT_EQ(a.got.size(), 1u);
  EXPECT_TRUE(requests.pending());
}

// A client that asks again as soon as its capture is answered (the HTTP
// side's thread may run before the watch loop's goes on) must hear
// `rationed`: `busy` would say a capture still runs (the 409 a loaded CI
// machine once gave in live_server_limits).
TEST(CaptureRequests, ARequestMadeOnTheAnswerIsRationedNotBusy) {
  CaptureRequests requests;
  Answers first, second;
  requests.submit(
      [&](const CaptureOutcome& o) {
        first.got.push_back(o);
        requests.submit(second.done(), 1001);
      },
      1000);
  requests.serve([&] {
    requests.captured(1000.5, 0.5);  // as GuardedCapture records every capture
    return taken();
  });
  ASSERT_EQ(first.got.size(), 1u);
  EXPECT_EQ(first.got[0].status, Status::taken);
  ASSERT_EQ(second.got.size(), 1u);
  EXPECT_EQ(second.got[0].status, Status::rationed) << second.got[0].reason;
}

// A capture that throws is answered `unavailable` and ends: the next request is taken.
TEST(CaptureRequests, AFailedCaptureIsAnsweredAndOver) {
  CaptureRequests requests;
  Answers a;
  requests.submit(a.done(), 1000);
  EXPECT_THROW(requests.serve([]() -> CaptureOutcome { throw std::runtime_error("socket closed"); }),
               std::runtime_error);
  ASSERT_EQ(a.got.size(), 1u);
  EXPECT_EQ(a.got[0].status, Status::unavailable);
  EXPECT_EQ(a.got[0].reason, "socket closed");
  requests.submit(a.done(), 1001);
  EXPECT_EQ(a.got.size(), 1u);
  EXPECT_TRUE(requests.pending());
}

TEST(CaptureRequests, ClosingAnswersTheWaitingAndLaterRequests) {
  CaptureRequests requests;
  Answers a;
  requests.submit(a.done(), 0);
  requests.close("the target exited");
  requests.submit(a.done(), 0);
  ASSERT_EQ(a.got.size(), 2u);
  for (const auto& o : a.got) {
    EXPECT_EQ(o.status, Status::unavailable);
    EXPECT_EQ(o.reason, "the target exited");
  }
}

TEST(DiskBudget, TheFileIsEstimatedAndCheckedBeforeTheCapture) {
  EXPECT_EQ(estimate_file_bytes(100, 0, 0), 200u);
  EXPECT_EQ(estimate_file_bytes(200, 300, 100), 600u);
  EXPECT_FALSE(disk_refusal(1 << 20, 2 << 20, std::nullopt, "d"));
  const auto budget = disk_refusal(3 << 20, 2 << 20, std::nullopt, "d");
  ASSERT_TRUE(budget);
  EXPECT_EQ(*budget, "a snapshot of about 3.00 MiB would not fit in --disk-budget 2.00 MiB");
  const auto full = disk_refusal(1 << 20, 1 << 30, uint64_t{32} << 20, "snaps");
  ASSERT_TRUE(full);
  EXPECT_NE(full->find("free where snaps is"), std::string::npos) << *full;
}

}  // namespace
}  // namespace heapwise::watch
