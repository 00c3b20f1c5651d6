// Spawned targets (see child_target.h).
#include "live/child_target.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <regex>

#include "live/process_attach.h"

namespace heapwise::live {

namespace {

// What the inspector itself prints; heapwise says what matters instead.
bool is_inspector_chatter(const std::string& line) {
  return line.rfind("Debugger listening on ", 0) == 0 || line.rfind("For help, see: ", 0) == 0 ||
         line == "Debugger attached." || line.rfind("Debugger ending on ", 0) == 0 ||
         line == "Waiting for the debugger to disconnect...";
}

}  // namespace

ChildTarget::ChildTarget(std::vector<std::string> argv) {
  if (argv.empty()) throw AttachError("nothing to run after --");
  const std::string base = argv[0].substr(argv[0].rfind('/') + 1);
  if (base.find("node") == std::string::npos)
    throw AttachError("'" + argv[0] + "' is not node: run `heapwise watch -- node app.js ...`");
  argv.insert(argv.begin() + 1, "--inspect=127.0.0.1:0");
  int fds[2];
  if (pipe(fds) != 0) throw AttachError(std::string("pipe: ") + std::strerror(errno));
  pid_ = fork();
  if (pid_ < 0) throw AttachError(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    std::fprintf(stderr, "heapwise: cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  stderr_fd_ = fds[0];
  forwarder_ = std::thread([this] {
    static const std::regex url_re(R"(Debugger listening on (ws://\S+))");
    std::string pending;
    char buf[4096];
    for (;;) {
      ssize_t n = read(stderr_fd_, buf, sizeof buf);
      if (n <= 0) break;
      pending.append(buf, static_cast<size_t>(n));
      size_t nl;
      while ((nl = pending.find('\n')) != std::string::npos) {
        std::string line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        std::smatch m;
        if (std::regex_search(line, m, url_re)) {
          std::lock_guard<std::mutex> lock(mu_);
          found_ = m[1];
          cv_.notify_all();
        }
        if (!is_inspector_chatter(line)) std::fprintf(stderr, "%s\n", line.c_str());
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    ended_ = true;
    cv_.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::seconds(15), [&] { return !found_.empty() || ended_; });
  url_ = found_;
  lock.unlock();
  if (url_.empty()) {
    stop();
    if (forwarder_.joinable()) forwarder_.join();
    close(stderr_fd_);
    throw AttachError("the program did not open its inspector (is it node?)");
  }
}

bool ChildTarget::running() {
  if (pid_ <= 0 || status_ >= 0) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = st;
    return false;
  }
  return true;
}

int ChildTarget::stop() {
  if (pid_ > 0 && status_ < 0) {
    kill(pid_, SIGTERM);
    int st = 0;
    for (int i = 0; i < 50 && waitpid(pid_, &st, WNOHANG) == 0; ++i) usleep(100000);
    if (waitpid(pid_, &st, WNOHANG) == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &st, 0);
    }
    status_ = st;
  }
  return status_;
}

ChildTarget::~ChildTarget() {
  stop();
  if (forwarder_.joinable()) forwarder_.join();
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

}  // namespace heapwise::live
