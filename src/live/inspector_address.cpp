// The inspector address a node process was started with (see inspector_address.h).
#include "live/inspector_address.h"

#include <fstream>
#include <iterator>
#include <span>

namespace heapwise::live {

namespace {

std::string_view without_brackets(std::string_view host) {
  return host.size() >= 2 && host.front() == '[' && host.back() == ']' ? host.substr(1, host.size() - 2) : host;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// One [host:]port value, applied the way node updates its option: a named
// host replaces the host, and the port is replaced too (a host alone means
// the default port). A port node would reject leaves the address as it was.
void apply(InspectorAddress& a, std::string_view value, const std::string& option) {
  std::string_view host, port;
  if (const std::string_view bare = without_brackets(value); bare.size() < value.size()) {
    host = bare;  // "[::1]": a host alone
  } else if (const size_t colon = value.rfind(':'); colon != std::string_view::npos) {
    host = without_brackets(value.substr(0, colon));
    port = value.substr(colon + 1);
  } else if (all_digits(value)) {
    port = value;
  } else {
    host = value;
  }
  if (!port.empty() && (!all_digits(port) || port.size() > 5 || std::stoul(std::string(port)) > 65535)) return;
  if (!host.empty()) a.host = std::string(host);
  a.port = port.empty() ? 9229 : static_cast<uint16_t>(std::stoul(std::string(port)));
  a.option = option;
}

void read_options(InspectorAddress& a, std::span<const std::string> words) {
  static constexpr std::string_view kSeparateValue[] = {"--inspect-port", "--debug-port"};
  static constexpr std::string_view kJoinedValue[] = {
      "--inspect-port=", "--debug-port=", "--inspect=", "--inspect-brk=", "--inspect-wait=", "--debug="};
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    for (std::string_view name : kJoinedValue)
      if (w.starts_with(name)) apply(a, w.substr(name.size()), words[i]);
    for (std::string_view name : kSeparateValue)
      if (w == name && i + 1 < words.size()) apply(a, words[i + 1], words[i] + " " + words[i + 1]);
  }
}

// NODE_OPTIONS words: split at spaces, with double quotes and backslash
// escapes inside them, as node splits it.
std::vector<std::string> split_node_options(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false, quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '\\' && i + 1 < text.size()) {
      word += text[++i];
    } else if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (c == ' ' && !quoted) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// A /proc file of NUL-separated strings; nullopt when it cannot be read.
std::optional<std::vector<std::string>> read_strings(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    out.emplace_back(text, start, end - start);
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string InspectorAddress::host_port() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

InspectorAddress inspector_address(const std::vector<std::string>& args, std::string_view node_options) {
  InspectorAddress a;
  read_options(a, split_node_options(node_options));
  if (!args.empty()) read_options(a, std::span(args).subspan(1));  // argv[0] is the program
  return a;
}

bool is_loopback_host(std::string_view host) {
  host = without_brackets(host);
  if (host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1") return true;
  // 127.0.0.0/8: "127." followed by digits and dots only.
  if (!host.starts_with("127.") || host.size() > 15) return false;
  for (char c : host.substr(4))
    if (c != '.' && (c < '0' || c > '9')) return false;
  return true;
}

std::optional<InspectorAddress> read_inspector_address(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  auto args = read_strings(proc + "/cmdline");
  auto environment = read_strings(proc + "/environ");
  if (!args || !environment || args->empty()) return std::nullopt;
  std::string node_options;
  for (const std::string& variable : *environment)
    if (variable.starts_with("NODE_OPTIONS=")) node_options = variable.substr(13);
  return inspector_address(*args, node_options);
}

}  // namespace heapwise::live
