// One worker thread that runs posted jobs in order: what the servers do
// that may take longer than a socket thread should wait (the explorer's
// questions, loading a snapshot), answered from there through a Respond.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace heapwise::server {

class WorkerQueue {
 public:
  WorkerQueue();
  ~WorkerQueue();  // drops the jobs not started, finishes the running one, joins
  WorkerQueue(const WorkerQueue&) = delete;
  WorkerQueue& operator=(const WorkerQueue&) = delete;

  void post(std::function<void()> job);

 private:
  void work();
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace heapwise::server
