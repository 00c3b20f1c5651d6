// Edge names in three bytes (see edge_name_column.h).
#include "graph/edge_name_column.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "util/in_parallel.h"
#include "util/usable_cpus.h"

namespace heapwise {

EdgeNameColumn::EdgeNameColumn(BigArray<uint32_t> names) : size_(names.size()) {
  // The cores share both passes: the greatest name, then the packing.
  const size_t threads = std::clamp<size_t>(size_ >> 20, 1, usable_cpus());
  std::atomic<uint32_t> greatest{0};
  on_threads(threads, [&](size_t thread) {
    const Share share = share_of(size_, thread, threads);
    uint32_t most = 0;
    for (size_t e = share.begin; e < share.end; ++e) most = std::max(most, names[e]);
    for (uint32_t seen = greatest.load(); most > seen && !greatest.compare_exchange_weak(seen, most);) {
    }
  });
  if (greatest.load() > 0xffffffu) {
    wide_ = std::move(names);
    return;
  }
  packed_.resize(3 * size_ + 1);
  // Each thread writes whole names, each byte once: neighbours never share one.
  on_threads(threads, [&](size_t thread) {
    const Share share = share_of(size_, thread, threads);
    uint8_t* out = packed_.data();
    for (size_t e = share.begin; e < share.end; ++e) {
      const uint32_t v = names[e];
      out[3 * e] = static_cast<uint8_t>(v);
      out[3 * e + 1] = static_cast<uint8_t>(v >> 8);
      out[3 * e + 2] = static_cast<uint8_t>(v >> 16);
    }
  });
}

EdgeNameColumn::EdgeNameColumn(BigArray<uint8_t> packed, BigArray<uint32_t> wide, size_t size)
    : packed_(std::move(packed)), wide_(std::move(wide)), size_(size) {
  const bool fits = packed_.empty() ? wide_.size() == size_ : wide_.empty() && packed_.size() == 3 * size_ + 1;
  if (!fits) throw std::invalid_argument("edge names of the wrong length");
}

}  // namespace heapwise
