// GzipSource: the bytes of a gzip-compressed snapshot, inflated by a thread
// of its own a few blocks ahead of the parser (see gzip_source.cpp).
#pragma once

#include <memory>

#include "loader/input_source.h"

namespace heapwise {

// Takes `fd` (closed with the source). The window is empty until the first advance(0).
std::unique_ptr<InputSource> open_gzip_source(int fd, uint64_t file_size);

}  // namespace heapwise
