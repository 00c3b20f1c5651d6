// Reading what the inspector sends without trusting it. The inspector is
// another process (another Node version, a proxy, a page that took the
// port): a field that is missing or has another type reads as absent, so no
// JSON library exception ever comes out of talking to it, only CdpError.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace heapwise::live {

// j[key] when j is an object that has it, else null.
const nlohmann::json& field(const nlohmann::json& j, std::string_view key);
// A count or byte size: a non-negative integer (or a whole-valued number
// below 2^64), else `fallback`.
uint64_t as_count(const nlohmann::json& v, uint64_t fallback = 0);
uint64_t count_field(const nlohmann::json& j, std::string_view key, uint64_t fallback = 0);
// A string field, or `fallback`.
std::string string_field(const nlohmann::json& j, std::string_view key, const std::string& fallback = "");
// What Runtime.evaluate or Runtime.callFunctionOn returned with
// returnByValue (the reply's result.value), or null.
const nlohmann::json& returned_value(const nlohmann::json& reply);

}  // namespace heapwise::live
