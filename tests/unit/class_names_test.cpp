// Class names as DevTools' Summary shows them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "analysis/snapshot.h"
#include "loader/snapshot_loader.h"
#include "snapshot_builder.h"

namespace heapwise {
namespace {

using testing::analyse;
using testing::SnapshotBuilder;

TEST(ClassNames, ByNodeType) {
  SnapshotBuilder b;
  const uint32_t root = b.add_node({"synthetic", "", 1, 0});
  const char* kinds[][2] = {{"hidden", "system / Context"},
                            {"code", "(code for f)"},
                            {"closure", "handler"},
                            {"regexp", "/a+/"},
                            {"string", "hello"},
                            {"object", "Session"},
                            {"native", "Node / Timer"},
                            {"number", "heap number"}};
  for (auto& [type, name] : kinds) {
    const uint32_t n = b.add_node({type, name, 0, 16});
    b.add_edge({root, n, "element", std::to_string(n)});
  }
  const auto s = analyse(b);
  EXPECT_EQ(s->class_name(1), "(system)");
  EXPECT_EQ(s->class_name(2), "(compiled code)");
  EXPECT_EQ(s->class_name(3), "Function");
  EXPECT_EQ(s->class_name(4), "RegExp");
  EXPECT_EQ(s->class_name(5), "(string)");
  EXPECT_EQ(s->class_name(6), "Session");
  EXPECT_EQ(s->class_name(7), "Node / Timer");
  EXPECT_EQ(s->class_name(8), "(number)");
}

TEST(ClassNames, PlainObjectsSharingPropertiesGetAnInterfaceName) {
  SnapshotBuilder b;
  const uint32_t root = b.add_node({"synthetic", "", 1, 0});
  const uint32_t str = b.add_node({"string", "x", 0, 16});
  // Three {cart, token} objects and one lone {other}: an interface needs two.
  for (int i = 0; i < 3; ++i) {
    const uint32_t o = b.add_node({"object", "Object", 0, 32});
    b.add_edge({root, o, "element", std::to_string(i)});
    b.add_edge({o, str, "property", "cart"});
    b.add_edge({o, str, "property", "token"});
  }
  const uint32_t lone = b.add_node({"object", "Object", 0, 32});
  b.add_edge({root, lone, "element", "9"});
  b.add_edge({lone, str, "property", "other"});
  const auto s = analyse(b);
  EXPECT_EQ(s->class_name(2), "{cart, token}");
  EXPECT_EQ(s->class_name(4), "{cart, token}");
  EXPECT_EQ(s->class_name(lone), "Object");
}

TEST(ClassNames, DomElementsAreNamedByTag) {
  SnapshotBuilder b;
  const uint32_t root = b.add_node({"synthetic", "", 1, 0});
  const uint32_t div = b.add_node({"native", "<div id=row>", 0, 64});
  b.add_edge({root, div, "element", "1"});
  const auto s = analyse(b);
  EXPECT_EQ(s->class_name(div), "<div>");
}

}  // namespace
}  // namespace heapwise
