// Aligned text tables for the terminal, with optional colour.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace heapwise::report {

// Whether to colour stdout: a TTY and NO_COLOR unset (https://no-color.org).
bool use_color();

class Table {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string title;
    Align align;
  };
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}
  // Cells are shown through terminal_text: a snapshot's names cannot drive the terminal.
  void add_row(std::vector<std::string> cells);
  // Cells wider than max_width (text columns only) are cut with "…".
  void print(std::ostream& out, bool color, size_t max_width = 80) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of UTF-8 text (code points; good enough for names).
size_t display_width(const std::string& s);
std::string truncate_display(const std::string& s, size_t width);

}  // namespace heapwise::report
