// Human formatting of numbers for terminal output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace heapwise {

// "512 B", "14.1 KiB", "3.27 MiB", "1.05 GiB".
std::string format_size(uint64_t bytes);
// "12,345,678".
std::string format_count(uint64_t n);
// "12.3 %" of whole (0 when whole is 0).
std::string format_percent(uint64_t part, uint64_t whole);
// Distance as DevTools shows it: "-" for unreachable and system-only nodes.
std::string format_distance(int32_t distance);
// Text from a snapshot made safe for a terminal: control characters (C0,
// DEL, and C1 written in UTF-8), which could move the cursor, recolour or
// clear the screen, become visible escapes ("\x1b", "\n", "\u009b").
// Everything else, UTF-8 included, is kept.
std::string terminal_text(std::string_view text);

}  // namespace heapwise
