// Result<T>: a value or an error with a byte offset, the loader's return type.
// The scanning loops never throw; they return an Error and the caller decides
// (the CLI turns it into one line and exit code 3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace heapwise {

struct Error {
  uint64_t offset = 0;  // byte offset in the (uncompressed) input
  std::string message;  // what is wrong, lower case, no trailing period
  // The one line users see: "FILE: byte OFFSET: what is wrong".
  std::string in(const std::string& file) const { return file + ": byte " + std::to_string(offset) + ": " + message; }
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error e) : v_(std::move(e)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace heapwise
