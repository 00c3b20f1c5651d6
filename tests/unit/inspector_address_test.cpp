// Where SIGUSR1 would open a node process's inspector, read from its options
// as node reads them (NODE_OPTIONS first, then the command line).
#include "live/inspector_address.h"

#include <gtest/gtest.h>

namespace heapwise::live {
namespace {

InspectorAddress from(std::vector<std::string> args, std::string_view node_options = "") {
  args.insert(args.begin(), "node");
  return inspector_address(args, node_options);
}

TEST(InspectorAddress, NodesDefaultWhenNothingIsGiven) {
  const InspectorAddress a = from({"server.js", "--port", "8080"});
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9229);
  EXPECT_EQ(a.option, "");
}

TEST(InspectorAddress, ReadsEveryFormOfTheOption) {
  EXPECT_EQ(from({"--inspect-port=0.0.0.0:9339", "app.js"}).host_port(), "0.0.0.0:9339");
  EXPECT_EQ(from({"--inspect-port", "9339", "app.js"}).host_port(), "127.0.0.1:9339");
  EXPECT_EQ(from({"--debug-port=10.0.0.5:9339"}).host_port(), "10.0.0.5:9339");
  EXPECT_EQ(from({"--inspect=0.0.0.0:0"}).host_port(), "0.0.0.0:0");
  EXPECT_EQ(from({"--inspect-brk=[::]:9230"}).host_port(), "[::]:9230");
  EXPECT_EQ(from({"--inspect-wait=example.org"}).host_port(), "example.org:9229");
  EXPECT_EQ(from({"--inspect-port=[::1]"}).host_port(), "[::1]:9229");
  EXPECT_EQ(from({"--inspect-port", "[::]:0"}).option, "--inspect-port [::]:0");
}

TEST(InspectorAddress, LaterOptionsUpdateEarlierOnesAsNodeDoes) {
  // A port alone keeps the host given before it.
  EXPECT_EQ(from({"--inspect-port=0.0.0.0:9229", "--inspect-port=9300"}).host_port(), "0.0.0.0:9300");
  // The command line comes after NODE_OPTIONS.
  EXPECT_EQ(from({"--inspect-port=127.0.0.1:0"}, "--inspect-port=0.0.0.0:9229").host_port(), "127.0.0.1:0");
  EXPECT_EQ(from({"--inspect-port=9300"}, "--inspect-port=0.0.0.0:9229").host_port(), "0.0.0.0:9300");
  // --inspect without a value sets nothing; a port node rejects changes nothing.
  EXPECT_EQ(from({"--inspect-port=0.0.0.0:1234", "--inspect", "--inspect-port=99999"}).host_port(), "0.0.0.0:1234");
}

TEST(InspectorAddress, SplitsNodeOptionsLikeNode) {
  EXPECT_EQ(from({}, "--max-old-space-size=512 --inspect-port 0.0.0.0:9400").host_port(), "0.0.0.0:9400");
  EXPECT_EQ(from({}, "--require \"./a b.js\" --inspect-port=\"[::]:9401\"").host_port(), "[::]:9401");
  EXPECT_EQ(from({}, "  ").host_port(), "127.0.0.1:9229");
}

TEST(InspectorAddress, LoopbackIsOnlyWhatNoOtherMachineReaches) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) EXPECT_TRUE(is_loopback_host(host));
  for (const char* host : {"0.0.0.0", "::", "[::]", "10.0.0.5", "127.0.0.1.nip.io", "127.evil.com", "example.org", ""})
    EXPECT_FALSE(is_loopback_host(host)) << host;
}

}  // namespace
}  // namespace heapwise::live
