// Edge names in three bytes (see edge_name_column.h).
#include "graph/edge_name_column.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "util/in_parallel.h"
#include "util/usable_cpus.h"

namespace heapwise {

EdgeNameColumn::EdgeNameColumn(BigArray<uint32_t> names) : size_(names.size()) {
  // One pass shared by the cores packs the names and watches for one past
  // 24 bits; then the packed copy is dropped and the names kept whole. Each
  // thread writes whole names, each byte once: neighbours never share one.
  packed_.resize(3 * size_ + 1);
  const size_t threads = std::clamp<size_t>(size_ >> 20, 1, usable_cpus());
  std::atomic<bool> too_wide{false};
  on_threads(threads, [&](size_t thread) {
    const Share share = share_of(size_, thread, threads);
    uint8_t* out = packed_.data();
    uint32_t high_bits = 0;
    for (size_t e = share.begin; e < share.end; ++e) {
      const uint32_t v = names[e];
      high_bits |= v;
      out[3 * e] = static_cast<uint8_t>(v);
      out[3 * e + 1] = static_cast<uint8_t>(v >> 8);
      out[3 * e + 2] = static_cast<uint8_t>(v >> 16);
    }
    if (high_bits > 0xffffffu) too_wide.store(true, std::memory_order_relaxed);
  });
  if (too_wide.load()) {
    packed_.clear();
    wide_ = std::move(names);
  }
}

bool EdgeNameColumn::parts_fit(const BigArray<uint8_t>& packed, const BigArray<uint32_t>& wide, size_t size) {
  return packed.empty() ? wide.size() == size : wide.empty() && packed.size() == 3 * size + 1;
}

EdgeNameColumn::EdgeNameColumn(BigArray<uint8_t> packed, BigArray<uint32_t> wide, size_t size)
    : packed_(std::move(packed)), wide_(std::move(wide)), size_(size) {
  if (!parts_fit(packed_, wide_, size_)) throw std::invalid_argument("edge names of the wrong length");
}

}  // namespace heapwise
