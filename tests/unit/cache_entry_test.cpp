// The binary cache's entries: what is written is read back exactly, and any
// damage (a flipped byte anywhere, a length that promises more than the file
// holds) is refused with CorruptEntry, never used.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "cache/cache_file.h"
#include "cache/snapshot_codec.h"
#include "snapshot_builder.h"

namespace heapwise::cache {
namespace {

std::string temp_name(const char* what) {
  return ::testing::TempDir() + "heapwise-cache-" + what + "-" + std::to_string(getpid());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

const CacheKey kKey{"/some/file.heapsnapshot", 1234, 5678, 9, 10, 11};

// Writes an entry: a number, an array, a string.
std::string write_sample(const std::string& name) {
  const std::string entry = temp_name(name.c_str());
  BigArray<uint32_t> values;
  for (uint32_t i = 0; i < 1000; ++i) values.push_back(i * 7);
  EntryWriter writer(entry + ".tmp", kKey);
  writer.put_u64(42);
  writer.put_array(values);
  writer.put_string("hello");
  writer.commit(entry);
  return entry;
}

struct Sample {
  std::shared_ptr<const void> backing;  // the mapped entry `values` lies in
  uint64_t number = 0;
  BigArray<uint32_t> values;
  std::string text;
};

// Reads what write_sample wrote; throws CorruptEntry on damage (another key
// is refused as the cache refuses it: the entry is not this file's).
Sample read_sample(const std::string& entry) {
  EntryReader reader(entry);
  if (!(reader.key() == kKey)) throw CorruptEntry("another key");
  Sample s;
  s.backing = reader.backing();
  s.number = reader.get_u64();
  reader.get_array(s.values);
  s.text = reader.get_string();
  reader.finish();
  return s;
}

TEST(CacheEntry, WhatIsWrittenIsReadBack) {
  const std::string entry = write_sample("round-trip");
  const Sample s = read_sample(entry);
  EXPECT_EQ(s.number, 42u);
  ASSERT_EQ(s.values.size(), 1000u);
  for (uint32_t i = 0; i < 1000; ++i) ASSERT_EQ(s.values[i], i * 7);
  EXPECT_EQ(s.text, "hello");
  EXPECT_NE(access((entry + ".tmp").c_str(), F_OK), 0) << "the temporary name is gone after commit";
  unlink(entry.c_str());
}

TEST(CacheEntry, AFlippedByteAnywhereIsRefused) {
  const std::string entry = write_sample("flipped");
  const std::string good = read_file(entry);
  for (size_t at = 0; at < good.size(); at += (at < 200 ? 1 : 97)) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    write_file(entry, bad);
    EXPECT_THROW(read_sample(entry), CorruptEntry) << "byte " << at;
  }
  unlink(entry.c_str());
}

TEST(CacheEntry, ALengthLongerThanTheFileIsRefusedBeforeAnyAllocation) {
  const std::string entry = write_sample("long-length");
  std::string bad = read_file(entry);
  // After the header (96 bytes) come the path's length and text, the number, then the array's length.
  const size_t array_length_at = EntryWriter::kHeaderBytes + 8 + kKey.path.size() + 8;
  const uint64_t huge = uint64_t{1} << 60;
  bad.replace(array_length_at, 8, reinterpret_cast<const char*>(&huge), 8);
  write_file(entry, bad);
  EntryReader reader(entry);
  EXPECT_EQ(reader.get_u64(), 42u);
  EXPECT_THROW(reader.get_count(4), CorruptEntry);
  unlink(entry.c_str());
}

TEST(CacheEntry, TruncatedOrUnwrittenEntriesAreRefused) {
  const std::string entry = write_sample("truncated");
  const std::string good = read_file(entry);
  for (size_t keep : {size_t{0}, size_t{50}, size_t{96}, good.size() / 2, good.size() - 1}) {
    write_file(entry, good.substr(0, keep));
    EXPECT_THROW(read_sample(entry), CorruptEntry) << keep << " bytes";
  }
  unlink(entry.c_str());
  {
    EntryWriter abandoned(entry + ".tmp", kKey);
    abandoned.put_u64(1);
  }  // never committed: removed
  EXPECT_NE(access((entry + ".tmp").c_str(), F_OK), 0);
  EXPECT_NE(access(entry.c_str(), F_OK), 0);
}

// A death test: the child maps an entry, the file is cut short, and the
// next read of the mapping must end the process with one line, not a crash.
TEST(CacheEntryDeathTest, AnEntryCutShortWhileMappedEndsTheCommandInOneLine) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::string entry = temp_name("cut-short");
  {
    BigArray<uint32_t> values(size_t{1} << 20);  // 4 MiB: pages well past the cut
    for (uint32_t i = 0; i < values.size(); ++i) values[i] = i;
    EntryWriter writer(entry + ".tmp", kKey);
    writer.put_array(values);
    writer.commit(entry);
  }
  EXPECT_EXIT(
      {
        EntryReader reader(entry);
        const auto backing = reader.backing();
        BigArray<uint32_t> values;
        reader.get_array(values);
        reader.finish();
        if (truncate(entry.c_str(), 4096) != 0) std::_Exit(10);
        volatile uint32_t last = values[values.size() - 1];
        (void)last;
        std::_Exit(11);  // the read did not fault: the test fails on this code
      },
      ::testing::ExitedWithCode(3), "cache entry .*cut-short.* was cut short while in use");
  unlink(entry.c_str());
}

TEST(SnapshotCodec, ASnapshotComesBackWithEveryNumber) {
  testing::SnapshotBuilder b;
  b.add_node({"synthetic", "", 1, 0});
  const uint32_t map = b.add_node({"object", "Map", 0, 40});
  const uint32_t big = b.add_node({"native", "system / JSArrayBufferData", 0, uint64_t{5} << 30});  // over 4 GiB
  const uint32_t text = b.add_node({"string", "red", 0, 24});
  const uint32_t plain = b.add_node({"object", "Object", 0, 16});
  b.add_edge({0, map, "property", "cache"});
  b.add_edge({map, big, "internal", "store"});
  b.add_edge({map, text, "property", "label"});
  b.add_edge({0, plain, "element", "0"});
  b.add_edge({plain, map, "property", "owner"});
  b.add_edge({plain, text, "weak", "w"});
  const auto original = testing::analyse(b);

  const std::string entry = temp_name("snapshot");
  {
    EntryWriter writer(entry + ".tmp", kKey);
    encode_snapshot(*original, writer);
    writer.commit(entry);
  }
  EntryReader reader(entry);
  const auto copy = decode_snapshot(reader);
  unlink(entry.c_str());

  const HeapGraph& g = original->graph();
  ASSERT_EQ(copy->graph().node_count, g.node_count);
  ASSERT_EQ(copy->graph().edge_count, g.edge_count);
  for (NodeIndex n = 0; n < g.node_count; ++n) {
    EXPECT_EQ(copy->graph().id(n), g.id(n));
    EXPECT_EQ(copy->graph().name(n), g.name(n));
    EXPECT_EQ(copy->class_name(n), original->class_name(n));
    EXPECT_EQ(copy->node_name(n), original->node_name(n));
    EXPECT_EQ(copy->self_size(n), original->self_size(n));
    EXPECT_EQ(copy->retained_size(n), original->retained_size(n));
    EXPECT_EQ(copy->distance(n), original->distance(n));
    EXPECT_EQ(copy->dominator(n), original->dominator(n));
  }
  for (EdgeIndex e = 0; e < g.edge_count; ++e) EXPECT_EQ(copy->graph().edge_name_text(e), g.edge_name_text(e));
  EXPECT_EQ(copy->self_size(big), uint64_t{5} << 30);
  ASSERT_EQ(copy->aggregates().rows.size(), original->aggregates().rows.size());
  for (size_t i = 0; i < original->aggregates().rows.size(); ++i) {
    EXPECT_EQ(copy->aggregates().rows[i].key, original->aggregates().rows[i].key);
    EXPECT_EQ(copy->aggregates().rows[i].retained_size, original->aggregates().rows[i].retained_size);
  }
  EXPECT_EQ(copy->statistics().total, original->statistics().total);
  EXPECT_EQ(copy->statistics().typed_arrays, original->statistics().typed_arrays);
}

}  // namespace
}  // namespace heapwise::cache
