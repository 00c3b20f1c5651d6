// The integer arrays of a mapped file read by several threads at once: the
// graph is the one a single thread reads, for any number of pieces, and a
// bad value is reported as a single thread would report it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "loader/snapshot_loader.h"
#include "snapshot_builder.h"

namespace heapwise {
namespace {

// `nodes` nodes, each with up to five edges of every type to random nodes;
// some self sizes too big for 32 bits.
std::string random_snapshot(uint32_t nodes = 400) {
  std::mt19937 rng(7);
  testing::SnapshotBuilder b;
  const char* types[] = {"object", "string", "closure", "array", "hidden", "native"};
  const char* edge_types[] = {"property", "element", "internal", "hidden", "weak", "context", "shortcut"};
  b.add_node({"synthetic", "", 1, 0});
  for (uint32_t i = 1; i < nodes; ++i)
    b.add_node(
        {types[rng() % 6], "C" + std::to_string(rng() % 40), 0, i % 97 == 0 ? (uint64_t{1} << 40) + i : rng() % 5000});
  for (uint32_t from = 0; from < nodes; ++from)
    for (uint32_t k = rng() % 6; k > 0; --k) {
      const std::string type = edge_types[rng() % 7];
      const bool indexed = type == "element" || type == "hidden";
      b.add_edge({from, static_cast<uint32_t>(rng() % nodes), type,
                  indexed ? std::to_string(rng() % 100) : "p" + std::to_string(rng() % 30)});
    }
  return b.json();
}

Result<std::unique_ptr<HeapGraph>> load(const std::string& path, size_t threads) {
  LoadOptions options;
  options.progress = false;
  options.threads = threads;
  options.chunk_bytes = 64;  // cut even these small arrays, into many pieces
  return load_snapshot(path, options);
}

template <typename Column>
void expect_same(const Column& a, const Column& b, const char* what, size_t threads) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << what << " #" << i << " with " << threads << " threads";
}

TEST(ArraySplit, AnyNumberOfPiecesReadsTheGraphOneThreadReads) {
  testing::TempFile file(random_snapshot());
  auto one = load(file.path(), 1);
  ASSERT_TRUE(one.ok()) << one.error().message;
  const HeapGraph& g = *one.value();
  for (size_t threads : {2, 3, 4, 7, 16, 64}) {
    auto many = load(file.path(), threads);
    ASSERT_TRUE(many.ok()) << many.error().message;
    const HeapGraph& h = *many.value();
    ASSERT_EQ(g.node_count, h.node_count);
    ASSERT_EQ(g.edge_count, h.edge_count);
    expect_same(g.node_type, h.node_type, "node_type", threads);
    expect_same(g.node_name, h.node_name, "node_name", threads);
    expect_same(g.node_id, h.node_id, "node_id", threads);
    expect_same(g.first_edge, h.first_edge, "first_edge", threads);
    expect_same(g.edge_name, h.edge_name, "edge_name", threads);
    expect_same(g.edge_to, h.edge_to, "edge_to", threads);
    for (uint32_t n = 0; n < g.node_count; ++n) ASSERT_EQ(g.raw_self_size(n), h.raw_self_size(n)) << n;
  }
}

// Damage every 97th byte of the nodes and edges arrays in turn, wherever the
// cuts between pieces fall: the error is the one a single thread reports,
// at the same byte (the first problem in file order).
TEST(ArraySplit, DamageAnywhereIsReportedAsOneThreadReportsIt) {
  const std::string text = random_snapshot(150);
  const size_t nodes_at = text.find("\"nodes\":[") + 9, edges_end = text.find("],\n\"strings\"");
  const std::string damages[] = {"x", ",", ",,", "]", "-1", "99999999999"};
  size_t checked = 0;
  for (size_t at = nodes_at; at < edges_end; at += 97)
    for (const std::string& damage : damages) {
      std::string bad = text;
      bad.replace(at, 1, damage);
      testing::TempFile file(bad);
      auto one = load(file.path(), 1);
      for (size_t threads : {2, 5}) {
        auto many = load(file.path(), threads);
        ASSERT_EQ(one.ok(), many.ok()) << "damage '" << damage << "' at " << at << " with " << threads << " threads";
        if (one.ok()) continue;
        EXPECT_EQ(one.error().offset, many.error().offset) << "damage '" << damage << "' at " << at;
        EXPECT_EQ(one.error().message, many.error().message) << "damage '" << damage << "' at " << at;
        ++checked;
      }
    }
  EXPECT_GT(checked, 150u);
}

// A bad value and, further on in the same batch of numbers, a character that
// is no number: the bad value is the first problem, with one thread or many.
TEST(ArraySplit, ABadValueBeforeABadCharacterIsReportedFirst) {
  std::string text = random_snapshot();
  const size_t edges = text.find("\"edges\":[") + 9;
  // The third number of the first edge is its to_node: 3 is no node's start.
  size_t to_node = edges;
  for (int comma = 0; comma < 2; ++comma) to_node = text.find(',', to_node) + 1;
  text.replace(to_node, text.find(',', to_node) - to_node, "3");
  text.replace(text.find(',', edges + 600), 1, "x");
  testing::TempFile file(text);
  for (size_t threads : {1, 2, 5}) {
    auto r = load(file.path(), threads);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, to_node) << threads << " threads";
    EXPECT_EQ(r.error().message, "to_node 3 is not a multiple of the node field count 5 (\"edges\" value #2)");
  }
}

// A doubled comma where a cut falls: the piece before the cut ends with a
// comma, and the error is still the single thread's ("expected a number").
TEST(ArraySplit, ADoubledCommaAtACutIsReportedAsOneThreadReportsIt) {
  const std::string text = random_snapshot();
  const size_t begin = text.find("\"nodes\":[") + 9, end = text.find("],\n\"edges\"");
  size_t checked = 0;
  // Cuts are looked for at every 64th byte of the array (load() above);
  // a comma added just before one moves the cut onto it.
  for (size_t from = begin + 64; from + 1 < end && checked < 60; from += 64 * 7) {
    for (size_t at = from - 24; at <= from + 1; ++at) {
      if (text[at] != ',') continue;
      std::string bad = text;
      bad.insert(at, ",");
      testing::TempFile file(bad);
      auto one = load(file.path(), 1);
      ASSERT_FALSE(one.ok());
      for (size_t threads : {2, 3}) {
        auto many = load(file.path(), threads);
        ASSERT_FALSE(many.ok());
        EXPECT_EQ(one.error().offset, many.error().offset) << "',,' at " << at << " with " << threads << " threads";
        EXPECT_EQ(one.error().message, many.error().message) << "',,' at " << at << " with " << threads << " threads";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20u);
}

// Name indices past the strings array are found once every string is read,
// by the cores sharing the nodes and edges: the first in file order is the
// one reported.
TEST(ArraySplit, TheFirstNameIndexPastTheStringsIsReportedHoweverTheCoresShareTheCheck) {
  const std::string text = random_snapshot();
  const size_t nodes = text.find("\"nodes\":[") + 9;
  const size_t edges = text.find("\"edges\":[") + 9;
  // Where the k-th value of an array starts.
  auto value_at = [&](const std::string& in, size_t array, int k) {
    size_t at = array;
    for (int comma = 0; comma < k; ++comma) at = in.find(',', at) + 1;
    return at;
  };
  auto put = [&](std::string& in, size_t array, int k, const std::string& value) {
    const size_t at = value_at(in, array, k);
    in.replace(at, in.find_first_of(",]", at) - at, value);
  };
  // Nodes have five fields, the name 2nd; edges three, the name 2nd, after a
  // type that is made "property" (2), whose name is a string.
  for (auto [array, fields] : {std::pair{nodes, 5}, std::pair{edges, 3}}) {
    for (auto [first, second] : {std::pair{40, 300}, std::pair{300, 301}, std::pair{7, 390}}) {
      std::string bad = text;
      // The later one first, so that the earlier offsets stay right.
      for (int k : {second, first}) {
        put(bad, array, k * fields + 1, "99999");
        if (fields == 3) put(bad, array, k * fields, "2");
      }
      testing::TempFile file(bad);
      auto one = load(file.path(), 1);
      ASSERT_FALSE(one.ok());
      EXPECT_NE(one.error().message.find("#" + std::to_string(first) + " "), std::string::npos) << one.error().message;
      for (size_t threads : {2, 5}) {
        auto many = load(file.path(), threads);
        ASSERT_FALSE(many.ok());
        EXPECT_EQ(one.error().offset, many.error().offset) << threads << " threads";
        EXPECT_EQ(one.error().message, many.error().message) << threads << " threads";
      }
    }
  }
}

// The strings section as V8 writes it, one string a line, with some
// escapes, so that a second thread can start at a line of its own.
std::string with_string_lines(const std::string& text) {
  const size_t begin = text.find("\"strings\":[") + 11;
  std::string lines;
  for (char c : text.substr(begin, text.rfind("]}") - begin)) {
    lines += c;
    if (c == ',') lines += '\n';  // random_snapshot's strings hold no commas
  }
  for (int i = 0; i < 300; ++i)
    lines += ",\n\"s" + std::to_string(i) + (i % 3 ? "\\u00e9\\\"," : "\\n\\ud83d\\ude00") + "\"";
  return text.substr(0, begin) + lines + "]}\n";
}

TEST(ArraySplit, StringsReadInTwoHalvesAreTheStringsOneThreadReads) {
  testing::TempFile file(with_string_lines(random_snapshot()));
  auto one = load(file.path(), 1);
  ASSERT_TRUE(one.ok()) << one.error().message;
  for (size_t threads : {2, 3}) {
    auto many = load(file.path(), threads);
    ASSERT_TRUE(many.ok()) << many.error().message;
    const StringTable& a = one.value()->strings;
    const StringTable& b = many.value()->strings;
    ASSERT_EQ(a.size(), b.size());
    for (uint32_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[StringIndex{i}], b[StringIndex{i}]) << "string #" << i;
  }
}

// Damage in the strings section, before, at and after where the second
// thread starts: the error (or the strings) are the single thread's.
TEST(ArraySplit, DamageInTheStringsIsReportedAsOneThreadReportsIt) {
  const std::string text = with_string_lines(random_snapshot(150));
  const size_t begin = text.find("\"strings\":[") + 11, end = text.rfind("]}");
  const std::string damages[] = {"x", "\"", "\n", "\\", "]", ",", ",\n\"", "\\u12", "\x01"};
  size_t checked = 0;
  for (size_t at = begin; at < end; at += 19)
    for (const std::string& damage : damages) {
      std::string bad = text;
      bad.replace(at, 1, damage);
      testing::TempFile file(bad);
      auto one = load(file.path(), 1), many = load(file.path(), 2);
      ASSERT_EQ(one.ok(), many.ok()) << "damage '" << damage << "' at " << at;
      if (one.ok()) {
        const StringTable& a = one.value()->strings;
        const StringTable& b = many.value()->strings;
        ASSERT_EQ(a.size(), b.size()) << "damage '" << damage << "' at " << at;
        for (uint32_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[StringIndex{i}], b[StringIndex{i}]) << i;
        continue;
      }
      EXPECT_EQ(one.error().offset, many.error().offset) << "damage '" << damage << "' at " << at;
      EXPECT_EQ(one.error().message, many.error().message) << "damage '" << damage << "' at " << at;
      ++checked;
    }
  EXPECT_GT(checked, 100u);
}

// The snapshot with a locations array: `entries` [object_index, script, line,
// column] for random nodes, in random order, some nodes twice.
std::string with_locations(const std::string& text, uint32_t nodes, uint32_t entries) {
  std::mt19937 rng(11);
  std::string locations;
  for (uint32_t i = 0; i < entries; ++i)
    locations += (i ? "," : "") + std::to_string(rng() % nodes * 5) + "," + std::to_string(rng() % 9) + "," +
                 std::to_string(i) + "," + std::to_string(rng() % 80);
  std::string out = text;
  const std::string fields = "\"edge_fields\":";
  out.insert(out.find(fields), "\"location_fields\":[\"object_index\",\"script_id\",\"line\",\"column\"],");
  out.insert(out.find("\"strings\":["), "\"locations\":[" + locations + "],\n");
  return out;
}

TEST(ArraySplit, LocationsAreOnePerNodeTheLastOneKeptHoweverTheyAreCut) {
  const std::string text = with_locations(random_snapshot(), 400, 300);
  testing::TempFile file(text);
  auto one = load(file.path(), 1);
  ASSERT_TRUE(one.ok()) << one.error().message;
  const auto& locations = one.value()->locations;
  ASSERT_GT(locations.size(), 200u);
  for (size_t i = 1; i < locations.size(); ++i) ASSERT_LT(locations[i - 1].node, locations[i].node);
  // The entry written last for a node is the one kept (its line is its position in the array).
  const size_t at = text.find("\"locations\":[") + 13;
  std::vector<uint32_t> last_line(400, 0xffffffffu);
  std::istringstream numbers(text.substr(at, text.find(']', at) - at));
  for (uint64_t object, script, line, column; numbers >> object;) {
    char comma;
    numbers >> comma >> script >> comma >> line >> comma >> column;
    numbers >> comma;
    last_line[object / 5] = static_cast<uint32_t>(line);
  }
  for (const Location& l : locations) EXPECT_EQ(l.line, last_line[l.node]) << "node " << l.node;
  for (size_t threads : {2, 3, 7}) {
    auto many = load(file.path(), threads);
    ASSERT_TRUE(many.ok()) << many.error().message;
    const auto& cut = many.value()->locations;
    ASSERT_EQ(cut.size(), locations.size());
    for (size_t i = 0; i < cut.size(); ++i) {
      EXPECT_EQ(cut[i].node, locations[i].node);
      EXPECT_EQ(cut[i].script_id, locations[i].script_id);
      EXPECT_EQ(cut[i].line, locations[i].line);
      EXPECT_EQ(cut[i].column, locations[i].column);
    }
  }
}

TEST(ArraySplit, ALocationOfNoNodeIsReportedAtItsByte) {
  // From the 150th location on, every object_index is 7: not a multiple of
  // the 5 node fields. The first of them is the one reported.
  std::string bad = with_locations(random_snapshot(), 400, 300);
  size_t pos = bad.find("\"locations\":[") + 13, first_bad = 0;
  for (size_t index = 0; bad[pos - 1] != ']'; ++index) {
    const size_t end = bad.find_first_of(",]", pos);
    if (index % 4 == 0 && index >= 150 * 4) {
      bad.replace(pos, end - pos, "7");
      if (!first_bad) first_bad = pos;
    }
    pos = bad.find_first_of(",]", pos) + 1;
  }
  testing::TempFile file(bad);
  for (size_t threads : {1, 2, 5}) {
    auto r = load(file.path(), threads);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, first_bad) << threads << " threads";
    EXPECT_EQ(r.error().message, "location #150 object_index 7 is not a node (\"locations\" value #600)");
  }
}

}  // namespace
}  // namespace heapwise
