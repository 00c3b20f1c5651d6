// Terminal tables (see table.h).
#include "report/table.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "util/format.h"

namespace heapwise::report {

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(STDOUT_FILENO) != 0;
}

size_t display_width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

std::string truncate_display(const std::string& s, size_t width) {
  if (display_width(s) <= width || width == 0) return s;
  size_t w = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (w == width - 1) break;
      ++w;
    }
  }
  return s.substr(0, i) + "…";
}

void Table::add_row(std::vector<std::string> cells) {
  for (auto& cell : cells) cell = terminal_text(cell);
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out, bool color, size_t max_width) const {
  std::vector<size_t> widths(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) widths[c] = display_width(columns_[c].title);
  for (const auto& row : rows_)
    for (size_t c = 0; c < row.size() && c < columns_.size(); ++c) {
      size_t w = display_width(row[c]);
      if (columns_[c].align == Align::kLeft) w = std::min(w, max_width);
      widths[c] = std::max(widths[c], w);
    }
  auto emit = [&](const std::vector<std::string>& cells, bool header) {
    std::string line;
    for (size_t c = 0; c < columns_.size(); ++c) {
      std::string cell = c < cells.size() ? cells[c] : "";
      if (columns_[c].align == Align::kLeft) cell = truncate_display(cell, max_width);
      size_t pad = widths[c] - std::min(widths[c], display_width(cell));
      if (c) line += "  ";
      if (columns_[c].align == Align::kRight) line.append(pad, ' ');
      line += cell;
      if (columns_[c].align == Align::kLeft && c + 1 < columns_.size()) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (header && color)
      out << "\033[1m" << line << "\033[0m\n";
    else
      out << line << '\n';
  };
  std::vector<std::string> titles;
  for (const auto& col : columns_) titles.push_back(col.title);
  emit(titles, true);
  for (const auto& row : rows_) emit(row, false);
}

}  // namespace heapwise::report
