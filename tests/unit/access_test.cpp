// Who may use the servers: exact loopback Host names, the access token.
#include "server/access.h"

#include <gtest/gtest.h>

namespace heapwise::server {
namespace {

AccessRules rules() {
  AccessRules r;
  r.token = "0123456789abcdef0123456789abcdef";
  r.bound_host = "127.0.0.1";
  r.port = 9898;
  return r;
}

AccessRequest get(const std::string& host, const std::string& token = "0123456789abcdef0123456789abcdef") {
  AccessRequest r;
  r.method = "GET";
  r.path = "/memory/stats";
  r.host = host;
  r.query_token = token;
  return r;
}

TEST(Access, TokensAreRandomAnd128Bits) {
  const std::string a = random_token(), b = random_token();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Access, OnlyExactLoopbackNamesPass) {
  for (const char* host : {"127.0.0.1:9898", "127.0.0.1", "localhost:9898", "[::1]:9898", "localhost"})
    EXPECT_FALSE(refusal(rules(), get(host))) << host;
  // Names that merely start like a loopback address, rebinding tricks, other ports.
  for (const char* host : {"127.evil.com:9898", "127.0.0.1.nip.io:9898", "localhost.evil.com", "LOCALHOST.:9898",
                           "evil.com", "", "127.0.0.1:80", "127.0.0.1:9898.evil.com", "[::1].evil.com"})
    EXPECT_TRUE(refusal(rules(), get(host))) << host;
}

TEST(Access, EveryRequestNeedsTheToken) {
  EXPECT_TRUE(refusal(rules(), get("127.0.0.1:9898", "")));
  EXPECT_TRUE(refusal(rules(), get("127.0.0.1:9898", "0123456789abcdef0123456789abcdee")));
  AccessRequest bearer = get("127.0.0.1:9898", "");
  bearer.authorization = "Bearer 0123456789abcdef0123456789abcdef";
  EXPECT_FALSE(refusal(rules(), bearer));
  AccessRequest cookie = get("127.0.0.1:9898", "");
  cookie.cookie = "theme=dark; heapwise_token=0123456789abcdef0123456789abcdef";
  EXPECT_FALSE(refusal(rules(), cookie));
  cookie.cookie = "xheapwise_token=0123456789abcdef0123456789abcdef";
  EXPECT_TRUE(refusal(rules(), cookie));
}

TEST(Access, MetricsOpenOnlyWhenAsked) {
  AccessRequest metrics = get("127.0.0.1:9898", "");
  metrics.path = "/metrics";
  EXPECT_TRUE(refusal(rules(), metrics));
  AccessRules open = rules();
  open.metrics_open = true;
  EXPECT_FALSE(refusal(open, metrics));
  AccessRequest stats = get("127.0.0.1:9898", "");
  EXPECT_TRUE(refusal(open, stats));
}

TEST(Access, CrossSitePostsAreRefusedEvenWithTheToken) {
  AccessRequest post = get("127.0.0.1:9898");
  post.method = "POST";
  post.origin = "http://attacker.example";
  EXPECT_TRUE(refusal(rules(), post));
  post.origin = "http://127.0.0.1:9898";
  EXPECT_FALSE(refusal(rules(), post));
}

TEST(Access, LoopbackAddresses) {
  EXPECT_TRUE(is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(is_loopback_address("127.0.0.2"));
  EXPECT_TRUE(is_loopback_address("::1"));
  EXPECT_FALSE(is_loopback_address("0.0.0.0"));
  EXPECT_FALSE(is_loopback_address("192.168.1.10"));
}

}  // namespace
}  // namespace heapwise::server
