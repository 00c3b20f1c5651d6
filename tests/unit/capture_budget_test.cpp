// Capture cost and memory headroom, on fake /proc and cgroup trees.
#include "watch/capture_budget.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace heapwise::watch {
namespace {

namespace fs = std::filesystem;

class FakeRoots : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("heapwise-budget-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "proc/42");
    write("proc/meminfo", "MemTotal:       25165824 kB\nMemAvailable:   20971520 kB\n");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  std::optional<Headroom> headroom() {
    return memory_headroom(42, (root_ / "proc").string(), (root_ / "cgroup").string());
  }
  fs::path root_;
};

TEST_F(FakeRoots, MemAvailableWhenNoCgroupLimit) {
  write("proc/42/cgroup", "0::/app.slice/app.service\n");
  write("cgroup/app.slice/app.service/memory.max", "max\n");
  write("cgroup/app.slice/app.service/memory.current", "1000\n");
  auto h = headroom();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->bytes, uint64_t{20971520} * 1024);
  EXPECT_EQ(h->source, "MemAvailable");
}

TEST_F(FakeRoots, TightestCgroupV2LevelWins) {
  write("proc/42/cgroup", "0::/pod/app\n");
  write("cgroup/pod/app/memory.max", "1073741824\n");  // 1 GiB, 900 MiB used
  write("cgroup/pod/app/memory.current", "943718400\n");
  write("cgroup/pod/memory.max", "2147483648\n");  // 2 GiB, 1.9 GiB used: 100 MiB left
  write("cgroup/pod/memory.current", "2042626048\n");
  auto h = headroom();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->bytes, uint64_t{2147483648} - 2042626048);
  EXPECT_EQ(h->source, "cgroup /pod");
}

TEST_F(FakeRoots, CgroupV1MemoryController) {
  write("proc/42/cgroup", "5:devices:/x\n4:memory:/process_api/abc\n0::/\n");
  write("cgroup/memory/process_api/abc/memory.limit_in_bytes", "536870912\n");
  write("cgroup/memory/process_api/abc/memory.usage_in_bytes", "268435456\n");
  write("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");  // unlimited
  write("cgroup/memory/memory.usage_in_bytes", "2017173504\n");
  auto h = headroom();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->bytes, uint64_t{268435456});
  EXPECT_EQ(h->source, "cgroup /process_api/abc");
}

TEST_F(FakeRoots, RefusesWhatDoesNotFit) {
  // 100 MB of heap is ~2.6 M objects at 40 B: ~1.5 GB to capture.
  const uint64_t cost = estimate_capture_cost(100'000'000, 0);
  EXPECT_EQ(cost, 100'000'000 / kHeapBytesPerObject * kCaptureBytesPerObject);
  EXPECT_EQ(estimate_capture_cost(100'000'000, 1000), 1000 * kCaptureBytesPerObject);
  auto refused = capture_refusal(100'000'000, 1 << 30, cost, Headroom{512u << 20, "cgroup /pod"});
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->find("cgroup /pod"), std::string::npos) << *refused;
  EXPECT_FALSE(capture_refusal(100'000'000, 1 << 30, cost, Headroom{uint64_t{4} << 30, "MemAvailable"}));
  EXPECT_FALSE(capture_refusal(100'000'000, 1 << 30, cost, std::nullopt));
  auto too_big = capture_refusal(uint64_t{2} << 30, 1 << 30, 0, std::nullopt);
  ASSERT_TRUE(too_big);
  EXPECT_NE(too_big->find("--max-capture-heap"), std::string::npos);
}

TEST_F(FakeRoots, NodeCountFromTheSnapshotHeader) {
  write("s.heapsnapshot",
        R"({"snapshot":{"meta":{"node_fields":["type"]},"node_count":123456,"edge_count":7},"nodes":[)");
  EXPECT_EQ(snapshot_node_count((root_ / "s.heapsnapshot").string()), 123456u);
  write("t.heapsnapshot", "not a snapshot");
  EXPECT_EQ(snapshot_node_count((root_ / "t.heapsnapshot").string()), 0u);
}

}  // namespace
}  // namespace heapwise::watch
