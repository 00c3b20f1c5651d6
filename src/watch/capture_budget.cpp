// Capture cost and memory headroom (see capture_budget.h).
#include "watch/capture_budget.h"

#include <sys/statvfs.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "util/format.h"

namespace heapwise::watch {

namespace {

// cgroup v1 writes "no limit" as a page-aligned LONG_MAX.
constexpr uint64_t kUnlimited = uint64_t{1} << 62;

std::optional<uint64_t> read_number(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    const uint64_t v = std::stoull(text);
    return v >= kUnlimited ? std::nullopt : std::optional<uint64_t>(v);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Tightest limit-minus-usage from `dir` up to `root`.
void tighten(std::optional<Headroom>& best, const std::string& root, std::string rel, const char* limit_file,
             const char* usage_file) {
  for (;;) {
    const std::string dir = root + rel;
    const auto limit = read_number(dir + "/" + limit_file);
    const auto usage = read_number(dir + "/" + usage_file);
    if (limit && usage) {
      const uint64_t left = *limit > *usage ? *limit - *usage : 0;
      if (!best || left < best->bytes) best = Headroom{left, "cgroup " + (rel.empty() ? std::string("/") : rel)};
    }
    if (rel.empty() || rel == "/") return;
    rel = rel.substr(0, rel.rfind('/'));
  }
}

}  // namespace

uint64_t estimate_capture_cost(uint64_t heap_used, uint64_t previous_node_count) {
  const uint64_t objects = previous_node_count ? previous_node_count : heap_used / kHeapBytesPerObject;
  return objects * kCaptureBytesPerObject;
}

std::optional<Headroom> memory_headroom(pid_t pid, const std::string& proc_root, const std::string& cgroup_root) {
  std::optional<Headroom> best;
  std::ifstream cgroups(proc_root + "/" + std::to_string(pid) + "/cgroup");
  std::string line;
  while (std::getline(cgroups, line)) {
    // "0::/path" (v2) or "4:memory:/path" (v1).
    const size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1), rel = line.substr(b + 1);
    if (controllers.empty())
      tighten(best, cgroup_root, rel == "/" ? "" : rel, "memory.max", "memory.current");
    else if (("," + controllers + ",").find(",memory,") != std::string::npos)
      tighten(best, cgroup_root + "/memory", rel == "/" ? "" : rel, "memory.limit_in_bytes", "memory.usage_in_bytes");
  }
  std::ifstream meminfo(proc_root + "/meminfo");
  while (std::getline(meminfo, line))
    if (line.rfind("MemAvailable:", 0) == 0) {
      const uint64_t avail = std::stoull(line.substr(13)) * 1024;
      if (!best || avail < best->bytes) best = Headroom{avail, "MemAvailable"};
    }
  return best;
}

uint64_t snapshot_node_count(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  static const std::regex re(R"re("node_count"\s*:\s*(\d{1,15}))re");
  std::smatch m;
  return std::regex_search(head, m, re) ? std::stoull(m[1]) : 0;
}

std::optional<std::string> capture_refusal(uint64_t heap_used, uint64_t max_capture_heap, uint64_t estimated_cost,
                                           const std::optional<Headroom>& headroom) {
  if (max_capture_heap && heap_used > max_capture_heap)
    return "heap used " + format_size(heap_used) + " is above --max-capture-heap " + format_size(max_capture_heap);
  if (headroom && estimated_cost > headroom->bytes)
    return "a snapshot would need ~" + format_size(estimated_cost) + " more memory in the target and only " +
           format_size(headroom->bytes) + " is left (" + headroom->source + ")";
  return std::nullopt;
}

uint64_t estimate_file_bytes(uint64_t heap_used, uint64_t previous_bytes, uint64_t previous_heap_used) {
  if (previous_bytes && previous_heap_used)
    return static_cast<uint64_t>(static_cast<double>(previous_bytes) * static_cast<double>(heap_used) /
                                 static_cast<double>(previous_heap_used));
  return static_cast<uint64_t>(static_cast<double>(heap_used) * kFileBytesPerHeapByte);
}

std::optional<uint64_t> disk_free(const std::string& dir) {
  struct statvfs fs {};
  if (statvfs(dir.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
}

std::optional<std::string> disk_refusal(uint64_t file_bytes, uint64_t disk_budget, const std::optional<uint64_t>& free,
                                        const std::string& dir) {
  if (file_bytes > disk_budget)
    return "a snapshot of about " + format_size(file_bytes) + " would not fit in --disk-budget " +
           format_size(disk_budget);
  if (free && file_bytes + kDiskMargin > *free)
    return "a snapshot of about " + format_size(file_bytes) + " would not fit in the " + format_size(*free) +
           " free where " + dir + " is";
  return std::nullopt;
}

}  // namespace heapwise::watch
