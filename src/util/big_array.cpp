// mmap-backed allocation for BigArray (see big_array.h for why).
#include "util/big_array.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>

namespace heapwise {

namespace {
// Small arrays go through malloc: a page per tiny column would waste memory
// and mappings (analyses create many small ones on small graphs).
constexpr size_t kMmapThreshold = 1 << 20;
}  // namespace

void* big_alloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < kMmapThreshold) {
    void* p = std::calloc(1, bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Huge pages where the kernel offers them on request: a column of tens of
  // megabytes faults in 2 MiB at a time instead of 4 KiB, and the analyses'
  // random accesses miss the TLB far less. Untouched parts still cost nothing.
  madvise(p, bytes, MADV_HUGEPAGE);
  return p;
}

void* big_realloc(void* p, size_t old_bytes, size_t new_bytes) {
  if (old_bytes == 0) old_bytes = 1;
  if (old_bytes < kMmapThreshold) {
    void* q = big_alloc(new_bytes);
    std::memcpy(q, p, old_bytes);
    std::free(p);
    return q;
  }
  void* q = mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE);
  if (q == MAP_FAILED) throw std::bad_alloc();
  return q;
}

void big_free(void* p, size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < kMmapThreshold)
    std::free(p);
  else
    munmap(p, bytes);
}

void release_pages(const void* p, size_t bytes) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  auto begin = reinterpret_cast<uintptr_t>(p);
  uintptr_t first = (begin + page - 1) & ~(page - 1);
  uintptr_t last = (begin + bytes) & ~(page - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

}  // namespace heapwise
