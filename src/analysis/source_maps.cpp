// Source maps (see source_maps.h).
#include "analysis/source_maps.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "analysis/scripts.h"
#include "util/small_file.h"

namespace heapwise {

namespace {

constexpr uintmax_t kMaxScriptBytes = uintmax_t{16} << 20;
constexpr uintmax_t kMaxMapBytes = uintmax_t{64} << 20;

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

// One base64 VLQ field of `mappings` at `at`, advancing it; false on a malformed one.
bool read_vlq(std::string_view text, size_t& at, int64_t& value) {
  uint64_t result = 0;
  for (int shift = 0; at < text.size() && shift < 60; shift += 5) {
    const int digit = base64_value(text[at++]);
    if (digit < 0) return false;
    result |= static_cast<uint64_t>(digit & 0x1f) << shift;
    if (!(digit & 0x20)) {
      // The lowest bit is the sign.
      value = (result & 1) ? -static_cast<int64_t>(result >> 1) : static_cast<int64_t>(result >> 1);
      return true;
    }
  }
  return false;
}

// The value of the script's last sourceMappingURL comment, if any.
std::string source_mapping_url(std::string_view script) {
  for (const std::string_view marker : {"//# sourceMappingURL=", "//@ sourceMappingURL="}) {
    const size_t at = script.rfind(marker);
    if (at == std::string_view::npos) continue;
    const size_t start = at + marker.size();
    size_t end = script.find_first_of("\r\n \t", start);
    if (end == std::string_view::npos) end = script.size();
    return std::string(script.substr(start, end - start));
  }
  return {};
}

std::optional<SourceMap> load_map(const std::string& path) {
  const auto script = read_small_file(path, kMaxScriptBytes);
  if (!script) return std::nullopt;
  const std::string url = source_mapping_url(*script);
  if (url.empty()) return std::nullopt;
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (url.rfind("data:", 0) == 0) {
    const size_t comma = url.find(',');
    if (comma == std::string::npos || url.substr(0, comma).find(";base64") == std::string::npos) return std::nullopt;
    const auto json = base64_decode(std::string_view(url).substr(comma + 1));
    return json ? SourceMap::parse(*json, dir) : std::nullopt;
  }
  // A path beside the script; a URL with a scheme names no local file.
  if (url.find("://") != std::string::npos) return std::nullopt;
  const std::filesystem::path map_path = url[0] == '/' ? std::filesystem::path(url) : std::filesystem::path(dir) / url;
  const auto json = read_small_file(map_path.string(), kMaxMapBytes);
  return json ? SourceMap::parse(*json, map_path.parent_path().string()) : std::nullopt;
}

}  // namespace

std::optional<SourceMap> SourceMap::parse(std::string_view json, const std::string& dir) {
  const auto map = nlohmann::json::parse(json, nullptr, false);
  if (!map.is_object() || map.value("version", 0) != 3 || !map.contains("mappings") || !map["mappings"].is_string() ||
      !map.contains("sources") || !map["sources"].is_array())
    return std::nullopt;
  SourceMap m;
  const auto& source_root = map.contains("sourceRoot") ? map["sourceRoot"] : nlohmann::json();
  const std::string root = script_file_path(source_root.is_string() ? source_root.get_ref<const std::string&>() : "");
  for (const auto& s : map["sources"]) {
    std::string source = script_file_path(s.is_string() ? s.get<std::string>() : "");
    if (!root.empty() && !source.empty() && source.find("://") == std::string::npos && source[0] != '/')
      source = (std::filesystem::path(root) / source).string();
    if (source.find("://") == std::string::npos && !source.empty() && source[0] != '/' && !dir.empty())
      source = (std::filesystem::path(dir) / source).lexically_normal().string();
    m.sources_.push_back(std::move(source));
  }
  // Fields after the first are relative to the same field of the previous
  // segment anywhere in the map; the generated column restarts on each line.
  const std::string_view text = map["mappings"].get_ref<const std::string&>();
  // The fifth field (an index into "names") is read and not used.
  int64_t source = 0, line = 0, column = 0;
  m.lines_.emplace_back();
  size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == ';') {
      m.lines_.emplace_back();
      ++at;
      continue;
    }
    if (c == ',') {
      ++at;
      continue;
    }
    int64_t fields[5] = {0, 0, 0, 0, 0};
    int n = 0;
    while (at < text.size() && text[at] != ',' && text[at] != ';') {
      if (n == 5 || !read_vlq(text, at, fields[n])) return std::nullopt;
      ++n;
    }
    const int64_t generated = (m.lines_.back().empty() ? 0 : m.lines_.back().back().generated_column) + fields[0];
    if (n == 1) {
      // A segment without a source still moves the generated column.
      m.lines_.back().push_back({static_cast<uint32_t>(generated), UINT32_MAX, 0, 0});
      continue;
    }
    if (n < 4) return std::nullopt;
    source += fields[1];
    line += fields[2];
    column += fields[3];
    if (generated < 0 || source < 0 || line < 0 || column < 0 || static_cast<size_t>(source) >= m.sources_.size())
      return std::nullopt;
    m.lines_.back().push_back({static_cast<uint32_t>(generated), static_cast<uint32_t>(source),
                               static_cast<uint32_t>(line), static_cast<uint32_t>(column)});
  }
  for (auto& segments : m.lines_)
    std::stable_sort(segments.begin(), segments.end(),
                     [](const Segment& a, const Segment& b) { return a.generated_column < b.generated_column; });
  return m;
}

std::optional<OriginalPosition> SourceMap::lookup(uint32_t line, uint32_t column) const {
  if (line == 0 || line > lines_.size()) return std::nullopt;
  const auto& segments = lines_[line - 1];
  const uint32_t col = column ? column - 1 : 0;
  auto it = std::upper_bound(segments.begin(), segments.end(), col,
                             [](uint32_t c, const Segment& s) { return c < s.generated_column; });
  if (it == segments.begin()) return std::nullopt;
  --it;
  if (it->source == UINT32_MAX) return std::nullopt;
  return OriginalPosition{sources_[it->source], it->line + 1, it->column + 1};
}

std::optional<OriginalPosition> original_position(std::string_view script_name, uint32_t line, uint32_t column) {
  const std::string path = script_file_path(script_name);
  if (path.empty() || path[0] != '/') return std::nullopt;  // node:internal, evalmachine, URLs
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const SourceMap>, std::less<>> maps;  // none: no map
  std::shared_ptr<const SourceMap> map;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = maps.find(path);
    if (it == maps.end()) {
      auto loaded = load_map(path);
      it = maps.emplace(path, loaded ? std::make_shared<const SourceMap>(std::move(*loaded)) : nullptr).first;
    }
    map = it->second;
  }
  return map ? map->lookup(line, column) : std::nullopt;
}

}  // namespace heapwise
