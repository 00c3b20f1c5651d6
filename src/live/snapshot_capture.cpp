// Heap snapshot capture (see snapshot_capture.h).
#include "live/snapshot_capture.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "live/cdp_fields.h"
#include "live/process_attach.h"
#include "util/format.h"

namespace heapwise::live {

namespace {

// Where a capture is written until it is complete. Preferably an unnamed
// file in the destination's directory (O_TMPFILE), linked under its name
// only once whole: a capture that fails, is interrupted or whose process is
// killed (SIGKILL included) leaves no file at all, and no name exists that a
// planted link could redirect. On a file system without O_TMPFILE it is
// FILE.partial, created afresh: never through a symbolic link and never
// over an existing file (O_EXCL | O_NOFOLLOW), removed on failure.
class CaptureFile {
 public:
  explicit CaptureFile(const std::string& path) : path_(path) {
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    int fd = open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
      throw CdpError("cannot create a file in " + dir + ": " + std::strerror(errno));
    if (fd < 0) {
      partial_ = path + ".partial";
      fd = open(partial_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        throw CdpError(
            "cannot create " + partial_ + ": " + std::strerror(errno) +
            (errno == EEXIST ? " (it already exists: a capture killed mid-way, or a planted link; remove it)" : ""));
      named_ = true;
    }
    file_ = fdopen(fd, "wb");
    if (!file_) {
      close(fd);
      remove_partial();
      throw CdpError("cannot write " + where() + ": " + std::strerror(errno));
    }
  }
  ~CaptureFile() {
    if (file_) std::fclose(file_);
    if (!committed_) remove_partial();
  }
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

  void write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
      throw CdpError("writing " + where() + " failed: " + std::strerror(errno));
  }
  void commit() {
    if (std::fflush(file_) != 0 || fsync(fileno(file_)) != 0)
      throw CdpError("writing " + where() + " failed: " + std::strerror(errno));
    if (named_) {
      // rename replaces a link planted under the final name, never its target.
      if (std::rename(partial_.c_str(), path_.c_str()) != 0)
        throw CdpError("cannot rename " + partial_ + " to " + path_ + ": " + std::strerror(errno));
    } else {
      link_into_place();
    }
    committed_ = true;
    const int closed = std::fclose(file_);
    file_ = nullptr;
    if (closed != 0) throw CdpError("writing " + path_ + " failed: " + std::strerror(errno));
  }

 private:
  std::string where() const { return named_ ? partial_ : path_ + " (unnamed until complete)"; }
  void remove_partial() {
    if (named_) unlink(partial_.c_str());
  }
  // linkat never replaces: an existing FILE (or a link under its name) is
  // replaced by renaming a fresh second name over it.
  void link_into_place() {
    const std::string self = "/proc/self/fd/" + std::to_string(fileno(file_));
    if (linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path_.c_str(), AT_SYMLINK_FOLLOW) == 0) return;
    if (errno != EEXIST) throw CdpError("cannot create " + path_ + ": " + std::strerror(errno));
    const std::string fresh = path_ + ".heapwise-" + std::to_string(getpid()) + ".tmp";
    if (linkat(AT_FDCWD, self.c_str(), AT_FDCWD, fresh.c_str(), AT_SYMLINK_FOLLOW) != 0)
      throw CdpError("cannot create " + fresh + ": " + std::strerror(errno));
    if (std::rename(fresh.c_str(), path_.c_str()) != 0) {
      const int err = errno;
      unlink(fresh.c_str());
      throw CdpError("cannot rename " + fresh + " to " + path_ + ": " + std::strerror(err));
    }
  }

  std::string path_, partial_;
  std::FILE* file_ = nullptr;
  bool named_ = false;  // FILE.partial rather than an unnamed file
  bool committed_ = false;
};

}  // namespace

CaptureResult capture_heap_snapshot(TargetSession& session, const std::string& path, const CaptureOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  CaptureResult result;
  CaptureFile out(path);
  CdpClient& cdp = session.cdp();
  CaptureProgress progress;
  bool target_gone = false;
  // From the moment the file exists, a target that stops answering (stopped,
  // stuck) is given up after the stall timeout, whichever call it stops in.
  try {
    cdp.call("HeapProfiler.enable", nlohmann::json::object(), options.stall_timeout);
    if (options.collect_garbage)
      cdp.call("HeapProfiler.collectGarbage", nlohmann::json::object(), options.stall_timeout);
    // Progress events keep coming while V8 walks the heap, chunks while it
    // writes: each resets the stall timer, so only a capture that stopped
    // moving is given up.
    cdp.call("HeapProfiler.takeHeapSnapshot", {{"reportProgress", true}}, options.stall_timeout,
             [&](const std::string& method, const nlohmann::json& params) {
               if (method == "HeapProfiler.addHeapSnapshotChunk") {
                 const auto& text = field(params, "chunk");
                 if (!text.is_string()) throw CdpError("the target sent a snapshot chunk that is not text");
                 const auto& chunk = text.get_ref<const std::string&>();
                 out.write(chunk);
                 result.bytes += chunk.size();
                 ++result.chunks;
                 progress.writing = true;
                 progress.bytes = result.bytes;
               } else if (method == "HeapProfiler.reportHeapSnapshotProgress") {
                 progress.done = count_field(params, "done");
                 progress.total = count_field(params, "total");
               } else if (method == "Runtime.executionContextDestroyed") {
                 target_gone = true;
                 return;
               } else {
                 return;
               }
               if (options.on_progress) options.on_progress(progress);
             });
  } catch (const CdpTimeout&) {
    const pid_t pid = session.target_pid();
    const char state = pid > 0 ? process_state(pid) : 0;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", static_cast<double>(options.stall_timeout.count()) / 1000);
    if (is_stopped(state))
      throw CdpError(std::string("the target was stopped (SIGSTOP) during the capture; abandoned after ") + seconds +
                     " s without progress");
    throw CdpError(std::string("the capture made no progress for ") + seconds + " s (" + describe(progress) +
                   "); abandoned");
  }
  if (target_gone) throw CdpClosed("the target exited during the capture");
  out.commit();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::string describe(const CaptureProgress& p) {
  if (p.writing) return "writing " + format_size(p.bytes);
  if (!p.total) return "collecting garbage";
  return "walking the heap " + std::to_string(p.done * 100 / p.total) + "% (" + format_count(p.done) + " of " +
         format_count(p.total) + " objects)";
}

}  // namespace heapwise::live
