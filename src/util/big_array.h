// BigArray: a growable array of plain values backed by anonymous mmap.
//
// Why not std::vector: a heap snapshot's columns hold tens of millions of
// values. mmap'd memory is only counted in RSS once touched, so capacity can be
// reserved from a header's claim without costing memory for a lie, and
// growth goes through mremap, which moves page tables instead of copying data
// (a std::vector doubling would briefly need 3x the column's size). An array
// may also be borrowed over memory someone else owns (a mapped cache entry).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace heapwise {

void* big_alloc(size_t bytes);                                   // zero-filled; throws std::bad_alloc
void* big_realloc(void* p, size_t old_bytes, size_t new_bytes);  // keeps contents
void big_free(void* p, size_t bytes);
// Whether big arrays use transparent huge pages, and why (HEAPWISE_HUGE_PAGES,
// else a measurement of both kinds of page faults on this machine; see
// big_array.cpp). Decided at the first big allocation.
struct HugePageChoice {
  bool on = false;
  const char* reason = "";
  double small_seconds = 0, huge_seconds = 0;  // to fault in the probe's 4 MiB
};
const HugePageChoice& huge_page_choice();
// Drops the physical pages of [p, p+bytes) (page-aligned inside) for mapped files.
void release_pages(const void* p, size_t bytes);

template <typename T>
class BigArray {
  static_assert(std::is_trivially_copyable_v<T>, "BigArray holds plain values");

 public:
  BigArray() = default;
  explicit BigArray(size_t n) { resize(n); }
  BigArray(const BigArray&) = delete;
  BigArray& operator=(const BigArray&) = delete;
  BigArray(BigArray&& o) noexcept { swap(o); }
  BigArray& operator=(BigArray&& o) noexcept {
    BigArray tmp(std::move(o));
    swap(tmp);
    return *this;
  }
  ~BigArray() { clear(); }

  // An array over n values at data, which it does not own: their owner must
  // outlive it. Writes go to that memory; growing copies the values into
  // memory of the array's own.
  static BigArray borrow(T* data, size_t n) {
    BigArray a;
    a.data_ = data;
    a.size_ = a.capacity_ = n;
    a.borrowed_ = true;
    return a;
  }

  void swap(BigArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
    std::swap(borrowed_, o.borrowed_);
  }

  // New elements are zero.
  void resize(size_t n) {
    if (n > capacity_) reserve(n);
    if (n < size_) std::memset(static_cast<void*>(data_ + n), 0, (size_ - n) * sizeof(T));
    size_ = n;
  }
  void reserve(size_t n) {
    if (n <= capacity_) return;
    size_t bytes = n * sizeof(T);
    if (n != 0 && bytes / sizeof(T) != n) throw std::bad_alloc();
    if (borrowed_) {
      T* own = static_cast<T*>(big_alloc(bytes));
      std::memcpy(static_cast<void*>(own), data_, size_ * sizeof(T));
      data_ = own;
      borrowed_ = false;
    } else {
      data_ = static_cast<T*>(data_ ? big_realloc(data_, capacity_ * sizeof(T), bytes) : big_alloc(bytes));
    }
    capacity_ = n;
  }
  void push_back(T v) {
    if (size_ == capacity_) reserve(capacity_ < 1024 ? 1024 : capacity_ * 2);
    data_[size_++] = v;
  }
  T& back() { return data_[size_ - 1]; }
  // The slot is zeroed (bytes, not T{}) so that a later resize finds zeros, as it promises.
  void pop_back() { std::memset(static_cast<void*>(data_ + --size_), 0, sizeof(T)); }
  void fill(T v) {
    for (size_t i = 0; i < size_; ++i) data_[i] = v;
  }
  void clear() {
    if (data_ && !borrowed_) big_free(data_, capacity_ * sizeof(T));
    data_ = nullptr;
    size_ = capacity_ = 0;
    borrowed_ = false;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  size_t bytes() const { return capacity_ * sizeof(T); }
  // An array of its own holding the same values (copies are explicit: a
  // column is tens of megabytes).
  BigArray copy() const {
    BigArray out(size_);
    if (size_) std::memcpy(static_cast<void*>(out.data_), data_, size_ * sizeof(T));
    return out;
  }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool borrowed_ = false;
};

}  // namespace heapwise
