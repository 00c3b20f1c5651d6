// mmap-backed allocation for BigArray (see big_array.h for why).
#include "util/big_array.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace heapwise {

namespace {
// Small arrays go through malloc: a page per tiny column would waste memory
// and mappings (analyses create many small ones on small graphs).
constexpr size_t kMmapThreshold = 1 << 20;

// Transparent huge pages only on request (HEAPWISE_HUGE_PAGES=1). With them
// a column faults in 2 MiB at a time and random accesses miss the TLB less,
// but on a virtual machine that hands freed memory back to its host (virtio
// balloon free page reporting) a huge page the process has not had before
// is slow to fault in (likely the host backing it anew): `summary` on a
// 512 MB heap took 5.6-6.3 s with them and 2.5-3.4 s without, each run
// after 10 s idle (docs/performance.md). Mappings still start on a huge
// page boundary and span whole huge pages (address space only: untouched
// pages cost nothing), so that huge pages stay whole when they are asked
// for.
constexpr size_t kHugePage = size_t{2} << 20;

bool huge_pages_wanted() {
  static const bool wanted = [] {
    const char* v = std::getenv("HEAPWISE_HUGE_PAGES");
    return v && std::strcmp(v, "1") == 0;
  }();
  return wanted;
}

size_t mapped_bytes(size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }

void* map_aligned(size_t bytes) {
  const size_t len = mapped_bytes(bytes);
  void* raw =
      mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto begin = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (begin + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > begin) munmap(raw, aligned - begin);
  const uintptr_t end = begin + len + kHugePage;
  if (end > aligned + len) munmap(reinterpret_cast<void*>(aligned + len), end - (aligned + len));
  void* p = reinterpret_cast<void*>(aligned);
  if (huge_pages_wanted()) madvise(p, len, MADV_HUGEPAGE);
  return p;
}
}  // namespace

void* big_alloc(size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < kMmapThreshold) {
    void* p = std::calloc(1, bytes);
    if (!p) throw std::bad_alloc();
    return p;
  }
  return map_aligned(bytes);
}

void* big_realloc(void* p, size_t old_bytes, size_t new_bytes) {
  if (old_bytes == 0) old_bytes = 1;
  if (old_bytes < kMmapThreshold) {
    void* q = big_alloc(new_bytes);
    std::memcpy(q, p, old_bytes);
    std::free(p);
    return q;
  }
  const size_t old_len = mapped_bytes(old_bytes), new_len = mapped_bytes(new_bytes);
  if (new_len == old_len) return p;
  if (new_len < old_len) {
    munmap(static_cast<char*>(p) + new_len, old_len - new_len);
    return p;
  }
  // Grow in place where the next addresses are free, else move the pages
  // (no copy) to a fresh aligned range, so huge pages stay whole.
  if (mremap(p, old_len, new_len, 0) != MAP_FAILED) {
    if (huge_pages_wanted()) madvise(p, new_len, MADV_HUGEPAGE);
    return p;
  }
  void* target = map_aligned(new_bytes);
  void* q = mremap(p, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED, target);
  if (q == MAP_FAILED) {
    munmap(target, new_len);
    throw std::bad_alloc();
  }
  return q;
}

void big_free(void* p, size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes < kMmapThreshold)
    std::free(p);
  else
    munmap(p, mapped_bytes(bytes));
}

void release_pages(const void* p, size_t bytes) {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  auto begin = reinterpret_cast<uintptr_t>(p);
  uintptr_t first = (begin + page - 1) & ~(page - 1);
  uintptr_t last = (begin + bytes) & ~(page - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

}  // namespace heapwise
