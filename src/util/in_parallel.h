// Work on several threads at once: two different pieces of work (the
// phases that split an analysis over two cores), or one piece of work on
// as many threads as there are cores (passes that split their range).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace heapwise {

// Runs `beside` on a new thread while `here` runs on this one, and returns
// once both have ended. An exception from either is rethrown here (`here`'s
// first), after both have ended: no thread outlives the call.
void in_parallel(const std::function<void()>& here, const std::function<void()>& beside);

// Runs work(0) on this thread and work(1) … work(threads - 1) on threads of
// their own, and returns once all have ended; the first exception (by
// thread number) is rethrown then.
void on_threads(size_t threads, const std::function<void(size_t thread)>& work);

// Lowers `value` to `candidate` if that is smaller, whatever other threads
// store meanwhile (the first of several finds, by position, wins).
inline void lower_to(std::atomic<size_t>& value, size_t candidate) {
  for (size_t seen = value.load(); candidate < seen && !value.compare_exchange_weak(seen, candidate);) {
  }
}

// The thread-th of `threads` nearly equal, adjoining parts of [0, count).
struct Share {
  uint64_t begin, end;
};
inline Share share_of(uint64_t count, size_t thread, size_t threads) {
  return {count * thread / threads, count * (thread + 1) / threads};
}

}  // namespace heapwise
