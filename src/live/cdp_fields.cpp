// Untrusted protocol fields (see cdp_fields.h).
#include "live/cdp_fields.h"

namespace heapwise::live {

const nlohmann::json& field(const nlohmann::json& j, std::string_view key) {
  static const nlohmann::json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

uint64_t as_count(const nlohmann::json& v, uint64_t fallback) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) return v.get<int64_t>() >= 0 ? static_cast<uint64_t>(v.get<int64_t>()) : fallback;
  if (v.is_number_float()) {
    const double d = v.get<double>();
    // 2^64 as a double; NaN fails both comparisons.
    if (d >= 0 && d < 18446744073709551616.0) return static_cast<uint64_t>(d);
  }
  return fallback;
}

uint64_t count_field(const nlohmann::json& j, std::string_view key, uint64_t fallback) {
  return as_count(field(j, key), fallback);
}

std::string string_field(const nlohmann::json& j, std::string_view key, const std::string& fallback) {
  const auto& v = field(j, key);
  return v.is_string() ? v.get<std::string>() : fallback;
}

const nlohmann::json& returned_value(const nlohmann::json& reply) { return field(field(reply, "result"), "value"); }

}  // namespace heapwise::live
