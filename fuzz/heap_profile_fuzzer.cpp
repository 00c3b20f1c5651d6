// The .heapprofile reader (a sampling heap profile, JSON from the inspector
// or a file) on any bytes, and everything made from a profile that reads:
// the top functions, the collapsed stacks, the flame graph page, and the
// `profile FILE` command's text and JSON.
#include <cstdint>
#include <string>

#include "cli/command.h"
#include "fuzz_input.h"
#include "profile/heap_profile.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  heapwise::fuzz::silence_stdout();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace heapwise;
  const std::string path = fuzz::write_input(data, size, ".heapprofile");
  auto profile = read_heap_profile(path);
  if (!profile.ok()) {
    if (profile.error().message.empty()) __builtin_trap();  // every refusal says why
    return 0;
  }
  top_functions(profile.value());
  collapsed_stacks(profile.value());
  flame_graph_html(profile.value(), "fuzz");
  fuzz::run_command(cli::kProfileCommand, {path});
  fuzz::run_command(cli::kProfileCommand, {path, "--json"});
  return 0;
}
