// Work on several threads at once (see in_parallel.h).
#include "util/in_parallel.h"

#include <exception>
#include <thread>
#include <vector>

namespace heapwise {

void in_parallel(const std::function<void()>& here, const std::function<void()>& beside) {
  on_threads(2, [&](size_t thread) { thread == 0 ? here() : beside(); });
}

void on_threads(size_t threads, const std::function<void(size_t thread)>& work) {
  if (threads == 0) threads = 1;
  std::vector<std::exception_ptr> failed(threads);
  auto run = [&](size_t thread) {
    try {
      work(thread);
    } catch (...) {
      failed[thread] = std::current_exception();
    }
  };
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (size_t i = 1; i < threads; ++i) helpers.emplace_back(run, i);
  run(0);
  for (auto& t : helpers) t.join();
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
}

}  // namespace heapwise
