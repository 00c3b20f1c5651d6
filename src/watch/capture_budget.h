// Whether a heap snapshot can be afforded. Capturing costs the target far
// more memory than "twice the heap": ~600 bytes of RSS per heap object (measured
// on node 20: docs/live-attach.md), and the RSS is not given back. An
// automatic capture that pushes a container over its memory limit gets the
// service OOM-killed, the worst thing a monitor can do, so before capturing
// heapwise estimates the cost and compares it with the memory left: the
// tightest of the target's cgroup limits (v2 memory.max - memory.current,
// v1 memory.limit_in_bytes - memory.usage_in_bytes, every level up to the
// root) and the machine's MemAvailable.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace heapwise::watch {

constexpr uint64_t kCaptureBytesPerObject = 600;
// heapUsed per object, for a first guess before any snapshot was taken.
constexpr uint64_t kHeapBytesPerObject = 40;

// The extra RSS a capture may cost: per object, from the node count of the
// previous snapshot when there is one (0: unknown), else from heapUsed.
uint64_t estimate_capture_cost(uint64_t heap_used, uint64_t previous_node_count);

struct Headroom {
  uint64_t bytes = 0;
  std::string source;  // "cgroup /x/y" or "MemAvailable"
};

// The memory the target can still take; nullopt when nothing is known.
// The roots are parameters for the unit tests.
std::optional<Headroom> memory_headroom(pid_t pid, const std::string& proc_root = "/proc",
                                        const std::string& cgroup_root = "/sys/fs/cgroup");

// The node count in a snapshot file's header, 0 if not found.
uint64_t snapshot_node_count(const std::string& path);

// Why a capture must not be taken now, or nullopt when it may.
std::optional<std::string> capture_refusal(uint64_t heap_used, uint64_t max_capture_heap, uint64_t estimated_cost,
                                           const std::optional<Headroom>& headroom);

// Disk: the file is checked before the capture starts, not found too big
// after it. A snapshot file takes about the previous one's bytes scaled by
// heapUsed; before any, kFileBytesPerHeapByte × heapUsed (node 20 writes
// 1.1-1.6 bytes of JSON per byte of heap; the guess errs high).
constexpr double kFileBytesPerHeapByte = 2.0;
// Left free on the file system, whatever the budget says.
constexpr uint64_t kDiskMargin = uint64_t{64} << 20;

uint64_t estimate_file_bytes(uint64_t heap_used, uint64_t previous_bytes, uint64_t previous_heap_used);
// Bytes this user may still write on the file system holding `dir`.
std::optional<uint64_t> disk_free(const std::string& dir);
// Why a file of `file_bytes` must not be written, or nullopt.
std::optional<std::string> disk_refusal(uint64_t file_bytes, uint64_t disk_budget, const std::optional<uint64_t>& free,
                                        const std::string& dir);

}  // namespace heapwise::watch
