// Command-line parsing shared by all commands: each command declares its
// options, gets positionals and typed values back, or a usage error (exit 2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace heapwise::cli {

// Thrown for bad usage; main prints it with the command's usage hint, exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One option of a command: what is parsed and what --help says, from one
// table, so the two cannot drift apart.
struct OptionSpec {
  std::string name;   // "--top"
  std::string value;  // what it takes, as --help shows it ("N", "SIZE"); empty for a flag
  std::string help;   // one line; more lines after '\n'
  bool takes_value() const { return !value.empty(); }
};

class Arguments {
 public:
  // Parses argv (after the command name). "--help"/"-h" is always accepted.
  // What follows "--" is positional, or with `program_after_dashes` a
  // program to run (program()).
  Arguments(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs,
            bool program_after_dashes = false);

  bool help() const { return help_; }
  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::string value_or(const std::string& name, const std::string& fallback) const;
  // Integer option (>= min); UsageError when malformed.
  uint64_t uint_or(const std::string& name, uint64_t fallback, uint64_t min = 0) const;
  // Size option: "1.5MB", "200k", "1024", "2GiB".
  std::optional<uint64_t> size(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  const std::vector<std::string>& program() const { return program_; }

 private:
  bool help_ = false;
  std::map<std::string, bool> flags_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positionals_;
  std::vector<std::string> program_;
};

// Parses "12", "1.5MB", "200KiB", "3g" (powers of 1024). nullopt if malformed.
std::optional<uint64_t> parse_size(const std::string& text);

}  // namespace heapwise::cli
