// Naming what holds a leak: declarations found in a script's text, script
// names shown as paths, and fixes written with the holder's own name.
#include "analysis/declarations.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/scripts.h"
#include "patterns/fix_text.h"

namespace heapwise {
namespace {

size_t at(std::string_view text, std::string_view needle) { return text.find(needle); }

TEST(Declarations, TheLastDeclarationBeforeTheClosureWins) {
  const std::string text =
      "function a() { const cache = {}; return () => cache; }\n"
      "const cache = new Map();\n"
      "function handler() { cache.set(1, 2); }\n";
  // A closure in handler(): the module-level `cache`, not a()'s.
  const auto found = find_declaration(text, "cache", at(text, "handler"));
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, at(text, "cache = new Map"));
  // A closure inside a(): a()'s own.
  EXPECT_EQ(*find_declaration(text, "cache", at(text, "() => cache")), at(text, "cache = {}"));
}

TEST(Declarations, FormsThatDeclareAName) {
  EXPECT_TRUE(find_declaration("let sessions;", "sessions", 100));
  EXPECT_TRUE(find_declaration("var { sessions, other } = require('x');", "sessions", 100));
  EXPECT_TRUE(find_declaration("const [first, sessions] = pair;", "sessions", 100));
  EXPECT_TRUE(find_declaration("function sessions() {}", "sessions", 100));
  EXPECT_TRUE(find_declaration("class sessions {}", "sessions", 100));
  // Uses are not declarations, nor are longer names.
  EXPECT_FALSE(find_declaration("sessions.set(1, 2); const sessionsById = 1;", "sessions", 100));
  EXPECT_FALSE(find_declaration("const a = 1;", "not an identifier", 100));
}

TEST(Declarations, StaticFieldsAndAssignedProperties) {
  const std::string text = "class Connection {\n  static all = [];\n}\nWidget.instances = new Set();\n";
  EXPECT_EQ(*find_property_declaration(text, "all", 0), at(text, "all = []"));
  EXPECT_EQ(*find_property_declaration(text, "instances", 0), at(text, "instances ="));
  EXPECT_FALSE(find_property_declaration("if (x.all == y) {}", "all", 0));
}

TEST(Scripts, NamesShownAsPathsRelativeToTheWorkingDirectory) {
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(display_path(cwd + "/src/app.js"), "src/app.js");
  EXPECT_EQ(display_path("file://" + cwd + "/src/app.mjs"), "src/app.mjs");
  EXPECT_EQ(display_path("node:internal/timers"), "node:internal/timers");
  EXPECT_EQ(display_path("/elsewhere/app.js").rfind("/elsewhere/app.js", 0), 0u);
}

TEST(FixText, TheExampleFitsTheKindAndUsesTheName) {
  const FixText map = growing_collection_fix("Map", "sessions", "Session");
  EXPECT_NE(map.advice.find("'sessions'"), std::string::npos);
  EXPECT_NE(map.example.find("sessions.delete("), std::string::npos);
  const FixText array = growing_collection_fix("Array", "requestLog", "{url}");
  EXPECT_NE(array.example.find("requestLog.splice("), std::string::npos);
  EXPECT_EQ(array.example.find("sessions"), std::string::npos);
  const FixText dict = growing_collection_fix("object used as a dictionary", "", "User");
  EXPECT_NE(dict.example.find("delete table[key]"), std::string::npos);
  const FixText listeners = listener_fix("configEvents", "reload");
  EXPECT_NE(listeners.example.find("configEvents.off('reload'"), std::string::npos);
  const FixText weak = weak_collection_fix("Set", "seenRequests");
  EXPECT_NE(weak.example.find("const seenRequests = new WeakSet()"), std::string::npos);
}

}  // namespace
}  // namespace heapwise
