// The watch server's pure parts: --listen parsing, the Prometheus
// exposition, and the snapshot directory's name handling.
#include "server/watch_server.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "server/prometheus_metrics.h"
#include "watch/snapshot_store.h"

namespace heapwise {
namespace {

namespace fs = std::filesystem;

TEST(PercentDecode, EscapesAndTheirMistakes) {
  std::string out;
  EXPECT_TRUE(server::percent_decode("%2E%2E%2Fa+b", out, false));
  EXPECT_EQ(out, "../a+b");
  EXPECT_TRUE(server::percent_decode("a+b%20c", out, true));
  EXPECT_EQ(out, "a b c");
  EXPECT_FALSE(server::percent_decode("%2", out, false));
  EXPECT_FALSE(server::percent_decode("%zz", out, false));
  EXPECT_FALSE(server::percent_decode("a%00b", out, false));  // no NUL reaches a name
}

TEST(ListenAddress, Forms) {
  auto a = server::parse_listen_address("9898");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9898);
  EXPECT_EQ(server::parse_listen_address(":0").host, "127.0.0.1");
  EXPECT_EQ(server::parse_listen_address("0.0.0.0:80").host, "0.0.0.0");
  EXPECT_EQ(server::parse_listen_address("[::1]:9898").host, "::1");
  EXPECT_EQ(server::parse_listen_address("localhost:1").host, "localhost");
  EXPECT_THROW(server::parse_listen_address("host:99999"), std::invalid_argument);
  EXPECT_THROW(server::parse_listen_address("a b:1"), std::invalid_argument);
  EXPECT_THROW(server::parse_listen_address("127.0.0.1"), std::invalid_argument);
}

TEST(PrometheusMetrics, WellFormedWithPromClientNames) {
  watch::WatchState w;
  w.node_version = "v20.20.2";
  w.heap_limit = 4u << 30;
  w.trend_options.window_seconds = 1;
  w.alert_counts["leak-trend"] = 2;
  w.alert_counts["hunt-report"] = 1;
  for (int i = 0; i < 5; ++i) {
    live::MemorySample s;
    s.t = i;
    s.heap_used = 1000000 + i;
    s.heap_total = 2000000;
    s.spaces = {{"old", 10, 5, 5}, {"new", 8, 4, 4}};
    s.proc.known = true;
    s.proc.rss = 50000000;
    s.proc.cpu_user_seconds = 1.25;
    w.history.push_back(s);
  }
  const std::string text = server::prometheus_metrics(w);
  // Every line: HELP, TYPE or `name{labels} value`; TYPE once per family, before its samples.
  static const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_]\w*="[^"]*",?)*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$)");
  std::set<std::string> typed;
  std::istringstream in(text);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name;
      words >> name;
      EXPECT_TRUE(typed.insert(name).second) << "second TYPE for " << name;
      continue;
    }
    if (line.rfind("# HELP ", 0) == 0) continue;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
    EXPECT_TRUE(typed.count(m[1])) << "sample before TYPE: " << line;
    ++samples;
  }
  EXPECT_GT(samples, 15);
  EXPECT_NE(text.find("\nnodejs_heap_size_used_bytes 1000004\n"), std::string::npos);
  EXPECT_NE(text.find("\nprocess_resident_memory_bytes 50000000\n"), std::string::npos);
  EXPECT_NE(text.find("\nprocess_cpu_user_seconds_total 1.25\n"), std::string::npos);
  EXPECT_NE(text.find("nodejs_heap_space_size_used_bytes{space=\"old\"} 5\n"), std::string::npos);
  EXPECT_NE(text.find("nodejs_version_info{version=\"v20.20.2\",major=\"20\",minor=\"20\",patch=\"2\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("heapwise_alerts_total{type=\"leak-trend\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("heapwise_alerts_total{type=\"max-rss\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("heapwise_alerts_total{type=\"hunt-report\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("\nheapwise_heap_post_gc_bytes 100000"), std::string::npos);  // a window minimum
}

TEST(SnapshotStore, NamesPruningAndLookups) {
  const fs::path dir = fs::temp_directory_path() / ("heapwise-store-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  watch::SnapshotStore store(dir.string(), 3, 1000);
  ASSERT_EQ(store.prepare_dir(), "");
  std::ofstream(dir / "secret.txt") << "not ours";
  std::vector<std::string> made;
  for (int k = 1; k <= 5; ++k) {
    const std::string p = store.new_path("hunt", "20260101-000000", k);
    std::ofstream(p) << std::string(100, 'x');
    fs::last_write_time(p, fs::file_time_type::clock::now() + std::chrono::seconds(k));
    made.push_back(p);
  }
  const std::string again = store.new_path("snapshot", "20260101-000000");
  std::ofstream(again) << "y";
  EXPECT_NE(store.new_path("snapshot", "20260101-000000"), again);  // never overwrites
  store.prune({made[0]});
  // Kept: the one asked for, then the newest two (hunt 5 and 4).
  std::set<std::string> left;
  for (const auto& s : store.list()) left.insert(s.name);
  EXPECT_EQ(left, (std::set<std::string>{"hunt-20260101-000000-1.heapsnapshot", "hunt-20260101-000000-4.heapsnapshot",
                                         "hunt-20260101-000000-5.heapsnapshot"}));
  EXPECT_TRUE(fs::exists(dir / "secret.txt"));  // not ours: never listed, never pruned
  EXPECT_TRUE(store.find("hunt-20260101-000000-5.heapsnapshot"));
  for (const char* name :
       {"secret.txt", "../secret.txt", "..", ".", "/etc/passwd", "hunt-20260101-000000-2.heapsnapshot"})
    EXPECT_FALSE(store.find(name)) << name;
  fs::remove_all(dir);
}

TEST(SnapshotStore, LinksAreNeverOurs) {
  const fs::path dir = fs::temp_directory_path() / ("heapwise-links-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  watch::SnapshotStore store(dir.string(), 9, 1 << 20);
  ASSERT_EQ(store.prepare_dir(), "");
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  std::ofstream(dir / "secret.txt") << "secret";
  fs::create_symlink(dir / "secret.txt", dir / "snapshot-20260101-000000.heapsnapshot");
  EXPECT_TRUE(store.list().empty());
  EXPECT_FALSE(store.find("snapshot-20260101-000000.heapsnapshot"));
  store.prune({});
  EXPECT_TRUE(fs::exists(dir / "secret.txt"));
  fs::remove_all(dir);
}

TEST(SnapshotStore, RefusesDirectoriesOthersControl) {
  const fs::path base = fs::temp_directory_path() / ("heapwise-dirs-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "real");
  fs::create_symlink(base / "real", base / "link");
  EXPECT_NE(watch::SnapshotStore((base / "link").string(), 9, 1).prepare_dir().find("symbolic link"),
            std::string::npos);
  fs::create_directories(base / "shared");
  fs::permissions(base / "shared", fs::perms::all);
  EXPECT_NE(watch::SnapshotStore((base / "shared").string(), 9, 1).prepare_dir().find("writable by others"),
            std::string::npos);
  std::ofstream(base / "file") << "x";
  EXPECT_NE(watch::SnapshotStore((base / "file").string(), 9, 1).prepare_dir().find("not a directory"),
            std::string::npos);
  fs::remove_all(base);
}

}  // namespace
}  // namespace heapwise
