// Test helper: writes small hand-made snapshots in the real file format.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/snapshot.h"
#include "loader/snapshot_loader.h"

namespace heapwise::testing {

struct TestNode {
  std::string type = "object";
  std::string name = "Object";
  uint32_t id = 0;
  uint64_t self_size = 10;
};
struct TestEdge {
  uint32_t from, to;
  std::string type = "property";
  std::string name = "p";  // for element/hidden edges: the decimal index
};

// A file with `content` under /tmp (its name ending in `suffix`), removed at scope end.
class TempFile {
 public:
  explicit TempFile(const std::string& content, const char* suffix = "") {
    char tmpl[] = "/tmp/heapwise-loader-XXXXXX";
    int fd = mkstemp(tmpl);
    close(fd);
    path_ = std::string(tmpl) + suffix;
    if (*suffix) std::rename(tmpl, path_.c_str());
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class SnapshotBuilder {
 public:
  uint32_t add_node(TestNode n) {
    if (n.id == 0) n.id = 1 + 2 * static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(n);
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  void add_edge(TestEdge e) { edges_.push_back(e); }
  std::string json() const;
  void write(const std::string& path) const { std::ofstream(path, std::ios::binary) << json(); }

 private:
  struct Strings {
    std::vector<std::string> list;
    std::unordered_map<std::string, uint32_t> index;
    uint32_t operator()(const std::string& s) {
      auto [it, inserted] = index.try_emplace(s, static_cast<uint32_t>(list.size()));
      if (inserted) list.push_back(s);
      return it->second;
    }
  };
  std::vector<TestNode> nodes_;
  std::vector<TestEdge> edges_;
};

inline std::string SnapshotBuilder::json() const {
  static const std::vector<std::string> kNodeTypes = {"hidden",
                                                      "array",
                                                      "string",
                                                      "object",
                                                      "code",
                                                      "closure",
                                                      "regexp",
                                                      "number",
                                                      "native",
                                                      "synthetic",
                                                      "concatenated string",
                                                      "sliced string",
                                                      "symbol",
                                                      "bigint",
                                                      "object shape"};
  static const std::vector<std::string> kEdgeTypes = {"context", "element",  "property", "internal",
                                                      "hidden",  "shortcut", "weak"};
  auto index_of = [](const std::vector<std::string>& v, const std::string& s) {
    for (size_t i = 0; i < v.size(); ++i)
      if (v[i] == s) return static_cast<uint32_t>(i);
    return 0u;
  };
  Strings strings;
  std::string nodes, edges;
  std::vector<std::vector<const TestEdge*>> out_edges(nodes_.size());
  for (const auto& e : edges_) out_edges[e.from].push_back(&e);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const TestNode& n = nodes_[i];
    size_t count = out_edges[i].size();
    if (!nodes.empty()) nodes += ",";
    nodes += std::to_string(index_of(kNodeTypes, n.type)) + "," + std::to_string(strings(n.name)) + "," +
             std::to_string(n.id) + "," + std::to_string(n.self_size) + "," + std::to_string(count);
  }
  for (size_t i = 0; i < nodes_.size(); ++i)
    for (const TestEdge* ep : out_edges[i]) {
      const TestEdge& e = *ep;
      if (!edges.empty()) edges += ",";
      bool indexed = e.type == "element" || e.type == "hidden";
      edges += std::to_string(index_of(kEdgeTypes, e.type)) + "," +
               (indexed ? e.name : std::to_string(strings(e.name))) + "," + std::to_string(e.to * 5);
    }
  auto list = [](const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ",\"" : "\"") + v[i] + "\"";
    return s + "]";
  };
  std::string strs;
  for (size_t i = 0; i < strings.list.size(); ++i) strs += (i ? ",\"" : "\"") + strings.list[i] + "\"";
  return "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\"],"
         "\"node_types\":[" +
         list(kNodeTypes) +
         ",\"string\",\"number\",\"number\",\"number\"],"
         "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
         "\"edge_types\":[" +
         list(kEdgeTypes) +
         ",\"string_or_number\",\"node\"]},"
         "\"node_count\":" +
         std::to_string(nodes_.size()) + ",\"edge_count\":" + std::to_string(edges_.size()) + "},\n\"nodes\":[" +
         nodes + "],\n\"edges\":[" + edges + "],\n\"strings\":[" + strs + "]}\n";
}

// Writes the builder's snapshot to a temporary file, loads and analyses it.
inline std::unique_ptr<Snapshot> analyse(const SnapshotBuilder& b) {
  char path[] = "/tmp/heapwise-test-XXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  b.write(path);
  auto g = load_snapshot(path, LoadOptions{false, 1});
  std::remove(path);
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().message);
  return std::make_unique<Snapshot>(std::move(g.value()));
}

}  // namespace heapwise::testing
