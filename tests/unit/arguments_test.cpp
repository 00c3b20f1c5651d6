// Command-line parsing shared by the commands.
#include "cli/arguments.h"

#include <gtest/gtest.h>

#include "cli/live_options.h"

namespace heapwise::cli {
namespace {

const std::vector<OptionSpec> kSpecs = {
    {"--top", "N", "rows"}, {"--json", "", "machine-readable"}, {"--min-size", "SIZE", "threshold"}};

TEST(Arguments, FlagsValuesAndPositionals) {
  Arguments a({"a.heapsnapshot", "--top", "5", "--json", "b.heapsnapshot"}, kSpecs);
  EXPECT_TRUE(a.flag("--json"));
  EXPECT_EQ(a.uint_or("--top", 30), 5u);
  EXPECT_EQ(a.positionals(), (std::vector<std::string>{"a.heapsnapshot", "b.heapsnapshot"}));
  EXPECT_FALSE(a.help());
}

TEST(Arguments, InlineValueAndDefaults) {
  Arguments a({"--top=7"}, kSpecs);
  EXPECT_EQ(a.uint_or("--top", 30), 7u);
  EXPECT_EQ(a.value_or("--min-size", "100KB"), "100KB");
  EXPECT_FALSE(a.value("--min-size"));
}

TEST(Arguments, HelpIsAlwaysAccepted) {
  EXPECT_TRUE(Arguments({"--help"}, kSpecs).help());
  EXPECT_TRUE(Arguments({"-h"}, kSpecs).help());
}

TEST(Arguments, UsageErrorsSayWhatIsWrong) {
  EXPECT_THROW(Arguments({"--nope"}, kSpecs), UsageError);
  EXPECT_THROW(Arguments({"--top"}, kSpecs), UsageError);
  EXPECT_THROW(Arguments({"--json=1"}, kSpecs), UsageError);
  EXPECT_THROW(Arguments({"--top", "x"}, kSpecs).uint_or("--top", 1), UsageError);
  EXPECT_THROW(Arguments({"--top", "0"}, kSpecs).uint_or("--top", 1, 1), UsageError);
  EXPECT_THROW(Arguments({"--min-size", "lots"}, kSpecs).size("--min-size"), UsageError);
}

TEST(Arguments, WhatFollowsTwoDashes) {
  Arguments files({"--", "-odd-name.heapsnapshot"}, kSpecs);
  EXPECT_EQ(files.positionals(), (std::vector<std::string>{"-odd-name.heapsnapshot"}));
  Arguments program({"--json", "--", "node", "app.js", "--top"}, kSpecs, true);
  EXPECT_TRUE(program.flag("--json"));
  EXPECT_TRUE(program.positionals().empty());
  EXPECT_EQ(program.program(), (std::vector<std::string>{"node", "app.js", "--top"}));
}

TEST(ParseSize, UnitsArePowersOf1024) {
  EXPECT_EQ(parse_size("1024"), 1024u);
  EXPECT_EQ(parse_size("200k"), 200u * 1024);
  EXPECT_EQ(parse_size("1.5MB"), 1536u * 1024);
  EXPECT_EQ(parse_size("2GiB"), uint64_t{2} << 30);
  EXPECT_EQ(parse_size("3g"), uint64_t{3} << 30);
  EXPECT_FALSE(parse_size(""));
  EXPECT_FALSE(parse_size("MB"));
  EXPECT_FALSE(parse_size("-1"));
  EXPECT_FALSE(parse_size("12 parsecs"));
}

TEST(ParseDuration, UnitsAndBareSeconds) {
  EXPECT_EQ(parse_duration("--interval", "500ms").count(), 500);
  EXPECT_EQ(parse_duration("--interval", "30s").count(), 30000);
  EXPECT_EQ(parse_duration("--interval", "2m").count(), 120000);
  EXPECT_EQ(parse_duration("--interval", "1h").count(), 3600000);
  EXPECT_EQ(parse_duration("--interval", "1.5").count(), 1500);
  EXPECT_THROW(parse_duration("--interval", "soon"), UsageError);
  EXPECT_THROW(parse_duration("--interval", "-1s"), UsageError);
}

}  // namespace
}  // namespace heapwise::cli
