// Aligned terminal tables.
#include "report/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace heapwise::report {
namespace {

std::string render(const Table& t, size_t max_width = 80) {
  std::ostringstream out;
  t.print(out, false, max_width);
  return out.str();
}

TEST(Table, AlignsColumnsLeftAndRight) {
  Table t({{"Class", Table::Align::kLeft}, {"Count", Table::Align::kRight}});
  t.add_row({"Map", "7"});
  t.add_row({"Session", "1,500"});
  EXPECT_EQ(render(t),
            "Class    Count\n"
            "Map          7\n"
            "Session  1,500\n");
}

TEST(Table, WidthCountsCodePointsNotBytes) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("→ ü"), 3u);
  Table t({{"Name", Table::Align::kLeft}, {"N", Table::Align::kRight}});
  t.add_row({"ünïcødé", "1"});
  t.add_row({"ascii", "2"});
  EXPECT_EQ(render(t),
            "Name     N\n"
            "ünïcødé  1\n"
            "ascii    2\n");
}

TEST(Table, LongTextCellsAreCutWithAnEllipsis) {
  EXPECT_EQ(truncate_display("abcdefgh", 5), "abcd…");
  EXPECT_EQ(truncate_display("abc", 5), "abc");
  Table t({{"Name", Table::Align::kLeft}});
  t.add_row({std::string(30, 'x')});
  EXPECT_EQ(render(t, 10), "Name\n" + std::string(9, 'x') + "…\n");
}

}  // namespace
}  // namespace heapwise::report
