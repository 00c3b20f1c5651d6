// /proc readers (see proc_stats.h).
#include "live/proc_stats.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace heapwise::live {

namespace {

uint64_t status_kb(const std::string& line, const char* key) {
  return std::stoull(line.substr(std::char_traits<char>::length(key))) * 1024;
}

double boot_time_seconds() {
  std::ifstream in("/proc/stat");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("btime ", 0) == 0) return std::stod(line.substr(6));
  return 0;
}

}  // namespace

ProcStats read_proc_stats(pid_t pid) {
  ProcStats s;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::ifstream status(dir + "/status");
  if (!status) return s;
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      s.rss = status_kb(line, "VmRSS:");
    else if (line.rfind("VmSize:", 0) == 0)
      s.virtual_size = status_kb(line, "VmSize:");
    else if (line.rfind("VmData:", 0) == 0)
      s.data_size = status_kb(line, "VmData:");
  }
  // /proc/PID/stat: the command name (field 2) may hold spaces and
  // parentheses, so the fields are counted from the last ')'.
  std::ifstream stat(dir + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(text.substr(close + 2));
    std::string f;
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    for (int field = 3; fields >> f; ++field) {
      if (field == 14) s.cpu_user_seconds = std::stod(f) / ticks;
      if (field == 15) s.cpu_system_seconds = std::stod(f) / ticks;
      if (field == 22) {
        s.start_time_seconds = boot_time_seconds() + std::stod(f) / ticks;
        break;
      }
    }
  }
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++s.open_fds;
  std::ifstream limits(dir + "/limits");
  while (std::getline(limits, line))
    if (line.rfind("Max open files", 0) == 0) {
      std::istringstream words(line.substr(14));
      words >> s.max_fds;
    }
  s.known = true;
  return s;
}

}  // namespace heapwise::live
