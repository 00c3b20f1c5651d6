// The snapshot loader on any bytes: plain, or (when the first byte is odd)
// the rest packed with gzip, so the fuzzer reaches the streaming window of
// compressed files with valid deflate data. A refusal is an answer; a
// crash, a hang, a sanitizer report or an allocation past libFuzzer's
// -rss_limit_mb is a finding. Raw gzip bytes are reached too: a plain input
// that starts with 1f 8b is read as gzip. Plain inputs are also read with
// their arrays cut between threads, and must get the same answer.
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
  auto loaded = heapwise::load_snapshot(path, heapwise::LoadOptions{false, 1});
  if (!loaded.ok() && loaded.error().message.empty()) __builtin_trap();  // every refusal says why
  // A plain file is read again with its integer arrays cut into three pieces
  // of a few bytes, one thread each: the answer must be the single thread's.
  // (Except which node's size is the one that makes the heap's sum pass
  // 2^56: the pieces add their huge sizes in the order they meet them.)
  if (!(data[0] & 1)) {
    auto split = heapwise::load_snapshot(path, heapwise::LoadOptions{false, 3, 8});
    if (split.ok() != loaded.ok()) __builtin_trap();
    auto sum = [](const auto& r) { return !r.ok() && r.error().message.find("larger than 2^56") != std::string::npos; };
    const bool sum_order = sum(loaded) || sum(split);
    if (!loaded.ok() && !sum_order &&
        (split.error().offset != loaded.error().offset || split.error().message != loaded.error().message))
      __builtin_trap();
  }
  return 0;
}
