// The explorer page (web/explorer.html), embedded at build time by
// cmake/embed_file.cmake so the binary serves it without any files.
#pragma once

#include <string_view>

namespace heapwise::server {

std::string_view explorer_page();

}  // namespace heapwise::server
