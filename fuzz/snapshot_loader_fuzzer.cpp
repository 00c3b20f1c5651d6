// The snapshot loader on any bytes: plain, or (when the first byte is odd)
// the rest packed with gzip, so the fuzzer reaches the streaming window of
// compressed files with valid deflate data. A refusal is an answer; a
// crash, a hang, a sanitizer report or an allocation past libFuzzer's
// -rss_limit_mb is a finding. Raw gzip bytes are reached too: a plain input
// that starts with 1f 8b is read as gzip.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_input.h"
#include "loader/snapshot_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string path;
  if (data[0] & 1) {
    path = heapwise::fuzz::write_input(nullptr, 0, ".heapsnapshot.gz");
    gzFile packed = gzopen(path.c_str(), "wb1");
    if (!packed || (size > 1 && gzwrite(packed, data + 1, static_cast<unsigned>(size - 1)) <= 0) ||
        gzclose(packed) != Z_OK)
      std::abort();
  } else {
    path = heapwise::fuzz::write_input(data + 1, size - 1, ".heapsnapshot");
  }
  auto loaded = heapwise::load_snapshot(path, heapwise::LoadOptions{false, 2});
  if (!loaded.ok() && loaded.error().message.empty()) __builtin_trap();  // every refusal says why
  return 0;
}
