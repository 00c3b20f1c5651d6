// The snapshot loader on any bytes: plain, or (when the first byte is odd)
// the rest packed with gzip, so the fuzzer reaches the streaming window of
// compressed files with valid deflate data. A refusal is an answer; a
// crash, a hang, a sanitizer report or an allocation past libFuzzer's
// -rss_limit_mb is a finding. Raw gzip bytes are reached too: a plain input
// that starts with 1f 8b is read as gzip.
#include <zlib.h>

#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "loader/snapshot_loader.h"

namespace {

std::string gzip(const uint8_t* data, size_t size) {
  std::string out(compressBound(static_cast<uLong>(size)) + 64, '\0');
  z_stream z{};
  deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string path;
  if (data[0] & 1) {
    const std::string packed = gzip(data + 1, size - 1);
    path =
        heapwise::fuzz::write_input(reinterpret_cast<const uint8_t*>(packed.data()), packed.size(), ".heapsnapshot.gz");
  } else {
    path = heapwise::fuzz::write_input(data + 1, size - 1, ".heapsnapshot");
  }
  auto loaded = heapwise::load_snapshot(path, heapwise::LoadOptions{false, 2});
  if (!loaded.ok() && loaded.error().message.empty()) __builtin_trap();  // every refusal says why
  return 0;
}
