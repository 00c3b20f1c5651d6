// The inspector's HTTP discovery endpoints (/json/list, /json/version).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace heapwise::live {

// GET http://HOST:PORT/PATH; nullopt when nothing answers in time.
std::optional<std::string> http_get(const std::string& host, uint16_t port, const std::string& path,
                                    std::chrono::milliseconds timeout);

// The WebSocket URL of the first target that HOST:PORT lists; nullopt when
// it is not a V8 inspector.
std::optional<std::string> discover_websocket_url(const std::string& host, uint16_t port,
                                                  std::chrono::milliseconds timeout);

// Whether HOST:PORT answers /json/version like a Node.js inspector.
bool is_node_inspector(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);

}  // namespace heapwise::live
