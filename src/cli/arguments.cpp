// Command-line parsing (see arguments.h).
#include "cli/arguments.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace heapwise::cli {

Arguments::Arguments(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs,
                     bool program_after_dashes) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {
      auto& rest = program_after_dashes ? program_ : positionals_;
      rest.insert(rest.end(), argv.begin() + static_cast<ptrdiff_t>(i) + 1, argv.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      positionals_.push_back(a);
      continue;
    }
    if (a == "--help" || a == "-h") {
      help_ = true;
      continue;
    }
    std::string name = a, inline_value;
    bool has_inline = false;
    if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
      has_inline = true;
    }
    const OptionSpec* spec = nullptr;
    for (const auto& s : specs)
      if (s.name == name) spec = &s;
    if (!spec) throw UsageError("unknown option " + name);
    if (!spec->takes_value()) {
      if (has_inline) throw UsageError("option " + name + " takes no value");
      flags_[name] = true;
    } else if (has_inline) {
      values_[name] = inline_value;
    } else {
      if (i + 1 >= argv.size()) throw UsageError("option " + name + " needs a value");
      values_[name] = argv[++i];
    }
  }
}

std::optional<std::string> Arguments::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Arguments::value_or(const std::string& name, const std::string& fallback) const {
  return value(name).value_or(fallback);
}

uint64_t Arguments::uint_or(const std::string& name, uint64_t fallback, uint64_t min) const {
  auto v = value(name);
  if (!v) return fallback;
  const std::string& s = *v;
  if (s.empty() || s.size() > 18) throw UsageError("option " + name + " needs a whole number, not '" + s + "'");
  uint64_t r = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      throw UsageError("option " + name + " needs a whole number, not '" + s + "'");
    r = r * 10 + static_cast<uint64_t>(c - '0');
  }
  if (r < min) throw UsageError("option " + name + " must be at least " + std::to_string(min));
  return r;
}

std::optional<uint64_t> Arguments::size(const std::string& name) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  auto r = parse_size(*v);
  if (!r) throw UsageError("option " + name + " needs a size like 10MB, not '" + *v + "'");
  return r;
}

std::optional<uint64_t> parse_size(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0 || i > 20) return std::nullopt;
  char* end = nullptr;
  std::string number = text.substr(0, i);
  double v = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size()) return std::nullopt;
  std::string unit;
  for (size_t j = i; j < text.size(); ++j) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[j])));
  double mult;
  if (unit.empty() || unit == "b")
    mult = 1;
  else if (unit == "k" || unit == "kb" || unit == "kib")
    mult = 1024.0;
  else if (unit == "m" || unit == "mb" || unit == "mib")
    mult = 1024.0 * 1024;
  else if (unit == "g" || unit == "gb" || unit == "gib")
    mult = 1024.0 * 1024 * 1024;
  else if (unit == "t" || unit == "tb" || unit == "tib")
    mult = 1024.0 * 1024 * 1024 * 1024;
  else
    return std::nullopt;
  double r = v * mult;
  if (!std::isfinite(r) || r >= 1.8e19) return std::nullopt;
  return static_cast<uint64_t>(std::llround(r));
}

}  // namespace heapwise::cli
