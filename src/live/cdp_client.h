// CdpClient: one Chrome DevTools Protocol session over WebSocket
// (Boost.Beast), with request/response matching by id, events handed to a
// callback while waiting, per-call timeouts and a message size limit.
// Beast lives only in cdp_client.cpp (it is slow to compile).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace heapwise::live {

// The session failed (connect, protocol, timeout, closed by the target).
struct CdpError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The target closed the connection (it exited, or was killed).
struct CdpClosed : CdpError {
  using CdpError::CdpError;
};
// No reply (nor any message) came within a call's idle timeout.
struct CdpTimeout : CdpError {
  using CdpError::CdpError;
};

// One message from the inspector, sorted while the client waits for the
// reply to request `awaited` (0: waiting for none). Whatever the text is,
// this never throws: what is not ours is kIgnored.
struct CdpMessage {
  enum Kind { kIgnored, kReply, kErrorReply, kEvent } kind = kIgnored;
  nlohmann::json body;  // kReply: the result; kEvent: the params (objects; {} when absent or not objects)
  std::string text;     // kEvent: the method; kErrorReply: the error's message
};
CdpMessage sort_message(const std::string& text, int64_t awaited);

class CdpClient {
 public:
  using EventHandler = std::function<void(const std::string& method, const nlohmann::json& params)>;

  // Connects to ws://HOST:PORT/PATH (loopback or as given). Throws CdpError.
  static std::unique_ptr<CdpClient> connect(const std::string& ws_url, std::chrono::milliseconds timeout);
  virtual ~CdpClient() = default;

  // Sends a request and waits for its reply, passing events to on_event
  // meanwhile. `idle_timeout` is the longest silence allowed (any message
  // resets it). Returns the "result"; throws CdpError on an error reply.
  virtual nlohmann::json call(const std::string& method, const nlohmann::json& params,
                              std::chrono::milliseconds idle_timeout, const EventHandler& on_event = {}) = 0;
  // Reads events for `duration` (handing them to on_event), e.g. between
  // samples, so that a target that wants to exit is let go at once.
  // Returns false when the connection closed.
  virtual bool wait_events(std::chrono::milliseconds duration, const EventHandler& on_event) = 0;
  // Sends a request without waiting for a reply (e.g. one that closes the socket).
  virtual void send(const std::string& method, const nlohmann::json& params) = 0;
  // Closes the session (a close frame if the socket is still open).
  virtual void close() = 0;
};

}  // namespace heapwise::live
