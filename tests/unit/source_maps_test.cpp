// Source maps: VLQ mappings decoded, positions looked up, maps found from
// a script's sourceMappingURL (a file beside it or an inline data: URL).
#include "analysis/source_maps.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace heapwise {
namespace {

// Generated line 1: col 0 -> a.ts 1:1. Line 2: col 0 -> a.ts 2:1, col 4 ->
// a.ts 2:5, col 10 -> b.ts 1:3 (source +1, line -1, column -2: negative deltas).
constexpr char kMap[] = R"({"version":3,"sources":["a.ts","sub/b.ts"],"names":[],"mappings":"AAAA;AACA,IAAI,MCDF"})";

TEST(SourceMap, DecodesRelativeVlqFields) {
  const auto map = SourceMap::parse(kMap, "/src");
  ASSERT_TRUE(map.has_value());
  auto at = map->lookup(2, 5);  // exactly on a segment
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->source, "/src/a.ts");
  EXPECT_EQ(at->line, 2u);
  EXPECT_EQ(at->column, 5u);
  at = map->lookup(2, 9);  // between segments: the one before
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->column, 5u);
  at = map->lookup(2, 11);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->source, "/src/sub/b.ts");
  EXPECT_EQ(at->line, 1u);
  EXPECT_EQ(at->column, 3u);
}

TEST(SourceMap, PositionsWithoutAMappingHaveNone) {
  const auto map = SourceMap::parse(R"({"version":3,"sources":["a.ts"],"mappings":";IAAA"})", "/src");
  ASSERT_TRUE(map.has_value());
  EXPECT_FALSE(map->lookup(1, 1).has_value());  // an empty line
  EXPECT_FALSE(map->lookup(2, 1).has_value());  // before the line's first segment
  EXPECT_TRUE(map->lookup(2, 5).has_value());
  EXPECT_FALSE(map->lookup(9, 1).has_value());  // past the last line
}

TEST(SourceMap, RefusesWhatIsNotAVersion3Map) {
  EXPECT_FALSE(SourceMap::parse("not json", "/").has_value());
  EXPECT_FALSE(SourceMap::parse(R"({"version":2,"sources":[],"mappings":""})", "/").has_value());
  // A segment naming a source the map does not have.
  EXPECT_FALSE(SourceMap::parse(R"({"version":3,"sources":["a.ts"],"mappings":"ACAA"})", "/").has_value());
  // A field that never ends.
  EXPECT_FALSE(SourceMap::parse(R"({"version":3,"sources":["a.ts"],"mappings":"AAAg"})", "/").has_value());
}

class SourceMapFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("heapwise-maps-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_ / "dist");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }
  std::filesystem::path dir_;
};

TEST_F(SourceMapFiles, FollowsTheMapFileBesideTheScript) {
  write(dir_ / "dist/app.js", "x;\ny = 1;\n//# sourceMappingURL=app.js.map\n");
  write(dir_ / "dist/app.js.map", R"({"version":3,"sourceRoot":"../src","sources":["app.ts"],"mappings":"AAAA;AACA"})");
  const auto at = original_position((dir_ / "dist/app.js").string(), 2, 1);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->source, (dir_ / "src/app.ts").string());
  EXPECT_EQ(at->line, 2u);
  // A file:// URL names the same script.
  EXPECT_TRUE(original_position("file://" + (dir_ / "dist/app.js").string(), 2, 1).has_value());
}

TEST_F(SourceMapFiles, ReadsAnInlineDataUrl) {
  // base64 of {"version":3,"sources":["in.ts"],"mappings":"AAAA"}
  write(dir_ / "dist/inline.js",
        "x;\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,"
        "eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbImluLnRzIl0sIm1hcHBpbmdzIjoiQUFBQSJ9\n");
  const auto at = original_position((dir_ / "dist/inline.js").string(), 1, 1);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->source, (dir_ / "dist/in.ts").string());
}

TEST_F(SourceMapFiles, NoMapNoPosition) {
  write(dir_ / "dist/plain.js", "x;\n");
  EXPECT_FALSE(original_position((dir_ / "dist/plain.js").string(), 1, 1).has_value());
  EXPECT_FALSE(original_position("node:internal/timers", 1, 1).has_value());
  EXPECT_FALSE(original_position((dir_ / "missing.js").string(), 1, 1).has_value());
  // A map URL with a scheme names no local file; none is fetched.
  write(dir_ / "dist/remote.js", "x;\n//# sourceMappingURL=https://example.com/remote.js.map\n");
  EXPECT_FALSE(original_position((dir_ / "dist/remote.js").string(), 1, 1).has_value());
}

}  // namespace
}  // namespace heapwise
