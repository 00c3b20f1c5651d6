// What the inspector sends is read without trusting it: wrong types and
// missing fields read as absent, and nothing but CdpError comes out.
#include <gtest/gtest.h>

#include "live/cdp_client.h"
#include "live/cdp_fields.h"

namespace heapwise::live {
namespace {

TEST(CdpMessage, RepliesErrorsAndEventsAreSortedWhateverTheirTypes) {
  auto m = sort_message(R"({"id":3,"result":{"usedSize":10}})", 3);
  EXPECT_EQ(m.kind, CdpMessage::kReply);
  EXPECT_EQ(count_field(m.body, "usedSize"), 10u);
  EXPECT_EQ(sort_message(R"({"id":2,"result":{}})", 3).kind, CdpMessage::kIgnored);  // a late reply
  EXPECT_EQ(sort_message(R"({"id":"3","result":{}})", 3).kind, CdpMessage::kIgnored);
  EXPECT_EQ(sort_message(R"({"id":3,"result":{}})", 0).kind, CdpMessage::kIgnored);  // waiting for none

  // A result that is not an object reads as an empty one.
  m = sort_message(R"({"id":1,"result":5})", 1);
  EXPECT_EQ(m.kind, CdpMessage::kReply);
  EXPECT_TRUE(m.body.is_object());
  m = sort_message(R"({"id":1,"error":"not an object"})", 1);
  EXPECT_EQ(m.kind, CdpMessage::kErrorReply);
  EXPECT_EQ(m.text, "unknown error");
  m = sort_message(R"({"id":1,"error":{"message":"Object not found"}})", 1);
  EXPECT_EQ(m.text, "Object not found");

  m = sort_message(R"({"method":"HeapProfiler.addHeapSnapshotChunk","params":[1]})", 0);
  EXPECT_EQ(m.kind, CdpMessage::kEvent);
  EXPECT_EQ(m.text, "HeapProfiler.addHeapSnapshotChunk");
  EXPECT_TRUE(m.body.is_object());
  EXPECT_EQ(sort_message(R"({"method":7})", 0).kind, CdpMessage::kIgnored);
  EXPECT_EQ(sort_message("[1,2]", 0).kind, CdpMessage::kIgnored);
  EXPECT_EQ(sort_message("{\"id\":1,", 1).kind, CdpMessage::kIgnored);
}

TEST(CdpFields, WrongTypesReadAsAbsent) {
  const auto j = nlohmann::json::parse(
      R"({"a":5,"b":-1,"c":"7","d":2.5,"e":1e300,"f":null,"s":"text","r":{"result":{"value":[1]}}})");
  EXPECT_EQ(count_field(j, "a"), 5u);
  EXPECT_EQ(count_field(j, "b", 9), 9u);
  EXPECT_EQ(count_field(j, "c", 9), 9u);
  EXPECT_EQ(count_field(j, "d"), 2u);
  EXPECT_EQ(count_field(j, "e", 9), 9u);
  EXPECT_EQ(count_field(j, "missing", 9), 9u);
  EXPECT_EQ(count_field(nlohmann::json(3), "a", 9), 9u);
  EXPECT_EQ(string_field(j, "s"), "text");
  EXPECT_EQ(string_field(j, "a", "none"), "none");
  EXPECT_TRUE(returned_value(j["r"]).is_array());
  EXPECT_TRUE(returned_value(j).is_null());
  EXPECT_TRUE(field(field(j, "s"), "x").is_null());
}

}  // namespace
}  // namespace heapwise::live
