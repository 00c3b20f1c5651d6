// --json keeps V8's strings exact: a lone surrogate is written as its \u
// escape, not replaced.
#include "util/json_dump.h"

#include <gtest/gtest.h>

namespace heapwise {
namespace {

TEST(JsonDump, LoneSurrogatesAreEscapesNotReplacements) {
  nlohmann::ordered_json j;
  j["name"] = "a\xED\xA0\x80z";    // U+D800 alone, as WTF-8
  j["pair"] = "\xF0\x9F\x98\x80";  // a real pair stays as it is
  j["marker"] =
      "\xEF\xB7\x90"
      "d800";                                  // text that looks like the marker
  j["keys"]["\xED\xB0\x80"] = "\xED\xBF\xBF";  // U+DC00 as a key, U+DFFF as a value
  j["bad"] = "\xFF";                           // invalid UTF-8 is still replaced
  const std::string text = dump_json(j, -1);
  EXPECT_EQ(text,
            "{\"name\":\"a\\ud800z\",\"pair\":\"\xF0\x9F\x98\x80\",\"marker\":\"\\ufdd0d800\","
            "\"keys\":{\"\\udc00\":\"\\udfff\"},\"bad\":\"\xEF\xBF\xBD\"}");
  // What JSON.parse of the text gives back is the text heapwise holds.
  EXPECT_EQ(nlohmann::json::parse("\"\\ufdd0d800\"").get<std::string>(),
            "\xEF\xB7\x90"
            "d800");
  EXPECT_EQ(dump_json(nlohmann::ordered_json{{"plain", "text"}}, 2), "{\n  \"plain\": \"text\"\n}");
}

}  // namespace
}  // namespace heapwise
