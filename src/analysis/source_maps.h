// Source maps: a position in generated JavaScript (TypeScript's output, a
// bundle) mapped back to the original source, so a report points into the
// file the developer edits. A script names its map in a last
// `//# sourceMappingURL=` comment: an inline `data:` URL (base64 JSON) or a
// path relative to the script, as tsc and bundlers write them.
//
// Only the script's file on disk can name its map: the snapshot keeps the
// first 1024 characters of a source, and the comment is at its end.
// Index maps (with "sections") are not read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heapwise {

struct OriginalPosition {
  std::string source;     // a path (absolute when the map lets it be) or the map's own text for it
  uint32_t line, column;  // 1-based
};

class SourceMap {
 public:
  // Reads a version 3 map; `dir` is the directory its relative sources are in.
  // None when the text is not such a map.
  static std::optional<SourceMap> parse(std::string_view json, const std::string& dir);
  // The original position of a generated one (1-based): the mapping at or
  // before it on its line, or none.
  std::optional<OriginalPosition> lookup(uint32_t line, uint32_t column) const;

 private:
  struct Segment {
    uint32_t generated_column, source, line, column;  // 0-based, as in the map
  };
  std::vector<std::string> sources_;
  std::vector<std::vector<Segment>> lines_;  // by generated line, sorted by column
};

// The original position of a position in the script named `script_name`
// (a path or a file:// URL), when its file on disk names a source map.
// Maps are read once per script and kept for the process's life.
std::optional<OriginalPosition> original_position(std::string_view script_name, uint32_t line, uint32_t column);

}  // namespace heapwise
