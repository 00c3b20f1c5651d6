// Two pieces of work at once (see in_parallel.h).
#include "util/in_parallel.h"

#include <exception>
#include <thread>

namespace heapwise {

void in_parallel(const std::function<void()>& here, const std::function<void()>& beside) {
  std::exception_ptr beside_failed;
  std::thread second([&] {
    try {
      beside();
    } catch (...) {
      beside_failed = std::current_exception();
    }
  });
  try {
    here();
  } catch (...) {
    second.join();
    throw;
  }
  second.join();
  if (beside_failed) std::rethrow_exception(beside_failed);
}

}  // namespace heapwise
