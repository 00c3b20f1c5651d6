// `heapwise watch -- node app.js ...`: starts the program with its inspector
// on 127.0.0.1 (a random port), forwards its stderr, and reports the
// WebSocket URL the inspector prints.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace heapwise::live {

class ChildTarget {
 public:
  // argv[0] must be node; --inspect=127.0.0.1:0 is added after it. Throws
  // AttachError when it does not start or its inspector does not open.
  explicit ChildTarget(std::vector<std::string> argv);
  ~ChildTarget();  // terminates the child if it still runs
  pid_t pid() const { return pid_; }
  const std::string& websocket_url() const { return url_; }
  // Sends SIGTERM and waits for the child; returns its exit status.
  int stop();
  bool running();

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::string url_;
  std::thread forwarder_;  // forwards the child's stderr, watching for the inspector URL
  std::mutex mu_;
  std::condition_variable cv_;
  bool ended_ = false;
  std::string found_;
  int status_ = -1;
};

}  // namespace heapwise::live
