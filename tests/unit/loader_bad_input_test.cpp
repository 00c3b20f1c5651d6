// The loader on bad input: every problem is an Error with a byte offset and
// a reason, never a crash, a hang or a huge allocation.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>

#include "loader/input_source.h"
#include "loader/snapshot_loader.h"
#include "snapshot_builder.h"

namespace heapwise {
namespace {

std::string tiny_snapshot() {
  testing::SnapshotBuilder b;
  uint32_t root = b.add_node({"synthetic", "", 1, 0});
  uint32_t a = b.add_node({"object", "Alpha", 0, 16});
  uint32_t s = b.add_node({"string", "h\\u00e9llo \\ud83d\\ude00", 0, 24});
  b.add_edge({root, a, "element", "1"});
  b.add_edge({a, s, "property", "text"});
  return b.json();
}

Result<std::unique_ptr<HeapGraph>> load_text(const std::string& text, const char* suffix = "") {
  testing::TempFile f(text, suffix);
  return load_snapshot(f.path(), LoadOptions{false, 2});
}

std::string gzip(const std::string& text) {
  std::string out(compressBound(text.size()) + 64, '\0');
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string replace_first(std::string s, const std::string& from, const std::string& to) {
  const size_t p = s.find(from);
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

void expect_error(const std::string& text, const std::string& fragment, const char* suffix = "") {
  auto r = load_text(text, suffix);
  ASSERT_FALSE(r.ok()) << "accepted: " << text.substr(0, 200);
  EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
}

TEST(Loader, TinySnapshotLoads) {
  auto r = load_text(tiny_snapshot());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const HeapGraph& g = *r.value();
  EXPECT_EQ(g.node_count, 3u);
  EXPECT_EQ(g.edge_count, 2u);
  EXPECT_EQ(g.name(2), "h\xc3\xa9llo \xf0\x9f\x98\x80");
  EXPECT_EQ(g.edge_target(1), 2u);
}

TEST(Loader, EveryPrefixIsRejected) {
  const std::string text = tiny_snapshot();
  size_t end = text.find_last_not_of("\n ") + 1;  // trailing whitespace is allowed to go
  for (size_t len = 0; len < end; ++len) {
    auto r = load_text(text.substr(0, len));
    ASSERT_FALSE(r.ok()) << "prefix of length " << len << " accepted";
    EXPECT_LE(r.error().offset, len) << r.error().message;
  }
}

TEST(Loader, EveryGzipPrefixIsRejected) {
  const std::string packed = gzip(tiny_snapshot());
  ASSERT_TRUE(load_text(packed, ".gz").ok());
  for (size_t len = 0; len < packed.size(); ++len) {
    auto r = load_text(packed.substr(0, len), ".gz");
    ASSERT_FALSE(r.ok()) << "gzip prefix of length " << len << " accepted";
  }
}

// The gzip source inflates on a thread of its own, blocks ahead of the
// parser: a stream of many blocks, in two gzip members (as `cat a.gz b.gz`
// makes), reads as the plain text does, and a cut in the middle is
// reported at the decoded offset where the data stopped.
TEST(Loader, ALongGzipStreamInTwoMembersReadsAsThePlainText) {
  const std::string name(size_t{20} << 20, 'n');  // a 20 MiB class name: ten of the inflater's blocks
  const std::string text = replace_first(tiny_snapshot(), "Alpha", name);
  const size_t cut = text.size() / 2 + 12345;
  auto plain = load_text(text);
  auto packed = load_text(gzip(text.substr(0, cut)) + gzip(text.substr(cut)), ".gz");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  ASSERT_TRUE(packed.ok()) << packed.error().message;
  EXPECT_EQ(packed.value()->node_count, plain.value()->node_count);
  EXPECT_EQ(packed.value()->name(1), name);
  EXPECT_EQ(packed.value()->name(2), plain.value()->name(2));

  const std::string whole = gzip(text);
  auto truncated = load_text(whole.substr(0, whole.size() / 2), ".gz");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("gzip stream is truncated"), std::string::npos) << truncated.error().message;
  EXPECT_GT(truncated.error().offset, uint64_t{4} << 20);  // past the first blocks
  EXPECT_LT(truncated.error().offset, text.size());
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

TEST(Loader, BadMeta) {
  const std::string t = tiny_snapshot();
  expect_error(replace(t, "\"node_fields\"", "\"node_fieldz\""), "node_fields");
  expect_error(replace(t, "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"]", "\"edge_fields\":[\"type\"]"),
               "name_or_index");
  expect_error(replace(t, "\"node_count\":3", "\"node_count\":\"3\""), "node_count");
  expect_error(replace(t, "\"meta\":{", "\"meta\":[{"), "");
}

TEST(Loader, CountsAndIndicesOutOfRange) {
  const std::string t = tiny_snapshot();
  expect_error(replace(t, "\"node_count\":3", "\"node_count\":4"), "");
  expect_error(replace(t, "\"edge_count\":2", "\"edge_count\":3"), "");
  expect_error(replace(t, "2,3,10]", "2,3,15]"), "to_node 15 points past the last node");
  expect_error(replace(t, "2,3,10]", "2,3,5629499534213120]"), "points past the last node");  // 5 × 2^50
  expect_error(replace(t, "2,3,10]", "2,3,11]"), "to_node 11 is not a multiple of the node field count 5");
  expect_error(replace(t, "2,3,10]", "2,3,9007199254740991]"), "is not a multiple");  // 2^53 - 1
  expect_error(replace(t, "3,1,3,16,1", "3,99,3,16,1"), "string");                    // name index out of range
  expect_error(replace(t, "3,1,3,16,1", "3,1,3,16,2"), "edge");                       // edge_count sum
  expect_error(replace(t, "3,1,3,16,1", "3,1,3,-16,1"), "");
  expect_error(replace(t, "3,1,3,16,1", "3,1,3,99999999999999999999,1"), "");
  expect_error(replace(t, "\"nodes\":[9,", "\"nodes\":[200,"), "type");
}

TEST(Loader, AllocationBombIsRejectedBeforeAllocating) {
  const std::string t = tiny_snapshot();
  expect_error(replace(t, "\"node_count\":3", "\"node_count\":1000000000000"), "");
  expect_error(replace(t, "\"edge_count\":2", "\"edge_count\":999999999"), "");
}

TEST(Loader, BadStrings) {
  const std::string t = tiny_snapshot();
  expect_error(replace(t, "\"Alpha\"", "\"Al\\qpha\""), "escape");
  expect_error(replace(t, "\"Alpha\"", "\"Al\\u12G4\""), "escape");
  expect_error(replace(t, "\"Alpha\"",
                       "\"Al\xff"
                       "pha\""),
               "UTF-8");
  expect_error(replace(t, "\"Alpha\"", "\"Al\xc0\xafpha\""), "UTF-8");
  expect_error(replace(t, "\"Alpha\"", "\"Al\x01pha\""), "");
  // Lone surrogates are legal JSON escapes and kept.
  auto r = load_text(replace(t, "\"Alpha\"", "\"A\\ud800B\""));
  ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST(Loader, EmptyDirectoryMissingAndNotJson) {
  expect_error("", "empty");
  expect_error("   \n", "");
  expect_error("not json", "");
  expect_error("{}", "");
  expect_error(std::string("\x1f\x8b\x08\x00garbage", 12), "", ".gz");
  auto r = load_snapshot("/tmp", LoadOptions{false, 1});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("directory"), std::string::npos) << r.error().message;
  auto m = load_snapshot("/nonexistent/heapwise.heapsnapshot", LoadOptions{false, 1});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().offset, 0u);
}

TEST(Loader, TrailingDataAndDuplicateSections) {
  const std::string t = tiny_snapshot();
  expect_error(t + "{}", "after");
  expect_error(replace(t, "\"strings\":[", "\"edges\":[],\"strings\":["), "");
}

// A compressed file can claim any amount of data; what V8 could have written
// bounds it, so the load stops early with an error instead of growing.
TEST(Loader, CompressedBombsStopAtWhatV8CanWrite) {
  const std::string t = tiny_snapshot();
  // More locations than objects (one per object at most), plain and gzip.
  std::string numbers;
  for (int i = 0; i < 4000; ++i) numbers += "0,";
  const std::string locations = replace(t, "\"strings\":[", "\"locations\":[" + numbers + "0],\"strings\":[");
  expect_error(locations, "locations array holds more than 3 numbers");
  auto packed = load_text(gzip(locations), ".gz");
  ASSERT_FALSE(packed.ok());
  EXPECT_NE(packed.error().message.find("one location per object"), std::string::npos) << packed.error().message;
  // More strings than the nodes, edges and trace functions can name.
  std::string empties;
  for (int i = 0; i < 1100; ++i) empties += "\"\",";
  expect_error(replace(t, "\"strings\":[", "\"strings\":[" + empties), "more than 1029 strings");

  // One string longer than V8's longest (2^29 - 24 UTF-16 units): 600 MB
  // of 'a' that gzip packs into under a megabyte.
  const size_t cut = t.find("\"strings\":[") + 11;
  const std::string head = t.substr(0, cut) + "\"", tail = "\"," + t.substr(cut);
  z_stream z{};
  deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_RLE);
  std::string out;
  std::string chunk(1 << 20, 'a');
  auto feed = [&](const std::string& in, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    do {
      char buf[1 << 16];
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      deflate(&z, flush);
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  };
  feed(head, Z_NO_FLUSH);
  for (int i = 0; i < 600; ++i) feed(chunk, Z_NO_FLUSH);
  feed(tail, Z_FINISH);
  deflateEnd(&z);
  ASSERT_LT(out.size(), size_t{4} << 20);
  auto bomb = load_text(out, ".gz");
  ASSERT_FALSE(bomb.ok());
  EXPECT_NE(bomb.error().message.find("longer than V8's longest string"), std::string::npos) << bomb.error().message;
  EXPECT_GT(bomb.error().offset, uint64_t{500} << 20);
}

// Another program truncating the file while it is mapped must give an error
// line, not SIGBUS: the vanished pages read as zeros and the source says so.
TEST(Loader, AFileThatShrinksWhileMappedIsReportedNotAFault) {
  std::string text = tiny_snapshot();
  text.resize(1 << 20, ' ');
  testing::TempFile f(text);
  auto opened = InputSource::open(f.path());
  ASSERT_TRUE(opened.ok());
  InputSource& src = **opened;
  EXPECT_FALSE(src.shrank());
  ASSERT_EQ(truncate(f.path().c_str(), 4096), 0);
  const volatile char* last = src.data() + src.size() - 1;
  EXPECT_EQ(*last, '\0');  // the page is gone from the file: zeros, not SIGBUS
  auto shrank = src.shrank();
  ASSERT_TRUE(shrank);
  EXPECT_EQ(shrank->offset, 4096u);
  EXPECT_NE(shrank->message.find("shrank from 1048576 to 4096 bytes"), std::string::npos) << shrank->message;
}

}  // namespace
}  // namespace heapwise
