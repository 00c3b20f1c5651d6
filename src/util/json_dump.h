// JSON text whose strings say exactly what the snapshot holds. V8 strings
// may hold lone surrogates, which heapwise keeps as WTF-8 (ED A0..BF xx);
// JSON can only say them as escapes (\ud800), and nlohmann's dump cannot
// write those: it replaces the bytes with U+FFFD, losing them. dump_json
// writes them as escapes; everything else is nlohmann's dump (invalid UTF-8
// that is not a surrogate still becomes U+FFFD).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace heapwise {

std::string dump_json(const nlohmann::ordered_json& j, int indent);

}  // namespace heapwise
