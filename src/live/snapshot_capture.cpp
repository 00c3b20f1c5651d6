// Heap snapshot capture (see snapshot_capture.h).
#include "live/snapshot_capture.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "util/progress.h"

namespace heapwise::live {

namespace {

// The target is silent while it collects garbage and builds the graph
// (seconds per million objects); progress events reset this.
constexpr std::chrono::milliseconds kSilenceAllowed(120000);

// FILE.partial, created afresh: never through a symbolic link and never
// over an existing file (O_EXCL | O_NOFOLLOW), so a link planted under that
// name cannot turn a capture into a write over another file.
class PartialFile {
 public:
  explicit PartialFile(const std::string& path) : path_(path + ".partial") {
    const int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
      throw CdpError(
          "cannot create " + path_ + ": " + std::strerror(errno) +
          (errno == EEXIST ? " (it already exists: a capture killed mid-way, or a planted link; remove it)" : ""));
    file_ = fdopen(fd, "wb");
    if (!file_) {
      close(fd);
      throw CdpError("cannot write " + path_ + ": " + std::strerror(errno));
    }
    created_ = true;
  }
  ~PartialFile() {
    if (file_) std::fclose(file_);
    if (created_ && !committed_) unlink(path_.c_str());
  }
  void write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
      throw CdpError("writing " + path_ + " failed: " + std::strerror(errno));
  }
  void commit(const std::string& path) {
    if (std::fflush(file_) != 0 || fsync(fileno(file_)) != 0 || std::fclose(file_) != 0) {
      file_ = nullptr;
      throw CdpError("writing " + path_ + " failed: " + std::strerror(errno));
    }
    file_ = nullptr;
    // rename replaces a link planted under the final name, never its target.
    if (std::rename(path_.c_str(), path.c_str()) != 0)
      throw CdpError("cannot rename " + path_ + " to " + path + ": " + std::strerror(errno));
    committed_ = true;
  }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  bool created_ = false;
  bool committed_ = false;
};

}  // namespace

CaptureResult capture_heap_snapshot(TargetSession& session, const std::string& path, bool collect_garbage,
                                    bool progress) {
  const auto start = std::chrono::steady_clock::now();
  CaptureResult result;
  PartialFile out(path);
  CdpClient& cdp = session.cdp();
  const auto call_timeout = std::chrono::milliseconds(60000);
  cdp.call("HeapProfiler.enable", nlohmann::json::object(), call_timeout);
  if (collect_garbage) cdp.call("HeapProfiler.collectGarbage", nlohmann::json::object(), call_timeout);
  Progress bar("capturing", 0, progress);
  bool target_gone = false;
  cdp.call("HeapProfiler.takeHeapSnapshot", {{"reportProgress", progress}}, kSilenceAllowed,
           [&](const std::string& method, const nlohmann::json& params) {
             if (method == "HeapProfiler.addHeapSnapshotChunk") {
               const auto& chunk = params["chunk"].get_ref<const std::string&>();
               out.write(chunk);
               result.bytes += chunk.size();
               ++result.chunks;
               bar.set(result.bytes);
             } else if (method == "Runtime.executionContextDestroyed") {
               target_gone = true;
             }
           });
  if (target_gone) throw CdpError("the target exited during the capture");
  out.commit(path);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace heapwise::live
