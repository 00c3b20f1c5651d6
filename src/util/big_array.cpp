// mmap-backed allocation for BigArray (see big_array.h for why).
#include "util/big_array.h"

#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace heapwise {

namespace {
// Small arrays go through malloc: a page per tiny column would waste memory
// and mappings (analyses create many small ones on small graphs).
constexpr size_t kMmapThreshold = 1 << 20;

constexpr size_t kHugePage = size_t{2} << 20, kSmallPage = 4096;

// Seconds to touch `bytes` of fresh memory, in huge pages or in 4 KiB ones.
double seconds_to_fault(size_t bytes, bool huge) {
  void* raw =
      mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) return 0;
  auto* p = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(raw) + kHugePage - 1) & ~(kHugePage - 1));
  // Each kind asked for explicitly: where the kernel's default is huge
  // pages ("always"), the 4 KiB figure would otherwise be theirs too.
  if (madvise(p, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0) {
    munmap(raw, bytes + kHugePage);
    return -1;  // the kernel has no transparent huge pages
  }
  const auto start = std::chrono::steady_clock::now();
  for (volatile char* page = p; page < p + bytes; page += kSmallPage) *page = 1;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  munmap(raw, bytes + kHugePage);
  return took.count();
}

// /sys/kernel/mm/transparent_hugepage/enabled reads "always madvise [never]".
bool thp_setting_is_never() {
  std::ifstream setting("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string text;
  std::getline(setting, text);
  return text.find("[never]") != std::string::npos;
}

// Whether big columns ask for transparent huge pages. They fault in 2 MiB
// at a time and random reads miss the TLB far less (user time of `summary`
// 4.9 -> 2.6 s), but on some virtual machines a huge page the guest has
// handed back to its host (virtio balloon free page reporting) is slow to
// fault in again: on one host 5x the cost of 4 KiB pages per byte, on
// another 0.65x (docs/performance.md, "Cold and warm memory"). So unless
// HEAPWISE_HUGE_PAGES says 1 or 0, the first big allocation measures both
// on 4 MiB (11-16 ms in all where it was measured) and uses huge pages
// unless they fault more than twice as slowly, the point where their TLB
// savings no longer pay for the faults.
const HugePageChoice& choose_huge_pages() {
  static const HugePageChoice choice = [] {
    HugePageChoice c;
    if (const char* v = std::getenv("HEAPWISE_HUGE_PAGES");
        v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "0") == 0)) {
      c.on = v[0] == '1';
      c.reason = "HEAPWISE_HUGE_PAGES";
      return c;
    }
    if (thp_setting_is_never()) {
      c.reason = "the kernel's setting is never";
      return c;
    }
    constexpr size_t kProbe = 2 * kHugePage;
    c.small_seconds = seconds_to_fault(kProbe, false);
    c.huge_seconds = seconds_to_fault(kProbe, true);
    if (c.small_seconds < 0 || c.huge_seconds < 0) {
      c.reason = "not offered by the kernel";
      return c;
    }
    c.on = c.huge_seconds <= 2 * c.small_seconds;
    c.reason = "measured";
    return c;
  }();
  return choice;
}

bool huge_pages_wanted() { return choose_huge_pages().on; }

// A mapping starts on a huge page boundary, so that its huge pages are whole,
// and ends at its last 4 KiB page: the kernel puts a huge page only where
// all of its 2 MiB lie inside the mapping, so a column's partly used last one
// stays in small pages instead of being resident whole (up to 2 MiB a
// column: 11 MB at the peak of `summary` on a 511 MB heap).
size_t mapped_bytes(size_t bytes) { return (bytes + kSmallPage - 1) & ~(kSmallPage - 1); }

// Off means off: where the kernel's default is huge pages ("always"), a
// column is told not to use them.
void advise_huge_pages(void* p, size_t len) { madvise(p, len, huge_pages_wanted() ? MADV_HUGEPAGE : MADV_NOHUGEPAGE); }

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
  advise_huge_pages(p, len);
  return p;
}
}  // namespace

const HugePageChoice& huge_page_choice() { return choose_huge_pages(); }

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
  // Grow in place where the next addresses are free (the mapping keeps its
  // advice), else move the pages (no copy) to a fresh aligned range.
  if (mremap(p, old_len, new_len, 0) != MAP_FAILED) return p;
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
