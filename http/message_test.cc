#include "http/message.h"

#include <gtest/gtest.h>

#include "http/query.h"

namespace http {
namespace {

TEST(Query, DecodesAndKeepsTheFirstValue) {
  auto q = ParseQuery("a=1&b=x%20y+z&a=2&&c");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->at("a"), "1");
  EXPECT_EQ(q->at("b"), "x y z");
  EXPECT_EQ(q->at("c"), "");
  auto bad = ParseQuery("a=%4");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "query: bad escape \"%4\"");
}

TEST(Query, PairsKeepEveryValueInOrder) {
  auto q = ParseQueryPairs("changes=CMD+%5B%22sh%22%5D&x&changes=ENV+A%3D1");
  ASSERT_TRUE(q.ok());
  QueryPairs want{
      {"changes", "CMD [\"sh\"]"}, {"x", ""}, {"changes", "ENV A=1"}};
  EXPECT_EQ(*q, want);
}

TEST(Message, SerializesFramingAndNoHeaderInjection) {
  Response r = Response::Text(409, "busy\n");
  r.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: 1");
  r.headers.emplace_back("content-length", "999");  // The server's own.
  std::string wire = SerializeHead(r, 1, Framing::kLength, 5, false);
  EXPECT_EQ(wire.rfind("HTTP/1.1 409 Conflict\r\n", 0), 0u);
  EXPECT_NE(wire.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(wire.find("999"), std::string::npos);
  EXPECT_NE(wire.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(wire.find("\r\nSet-Cookie"), std::string::npos);
  EXPECT_EQ(wire.substr(wire.size() - 4), "\r\n\r\n");
  wire = SerializeHead(r, 0, Framing::kChunked, 0, true);
  EXPECT_EQ(wire.rfind("HTTP/1.0 409", 0), 0u);
  EXPECT_NE(wire.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Connection: keep-alive\r\n"), std::string::npos);
}

TEST(Message, HijackHeadsGoOutAsGiven) {
  ResponseHead h;
  h.status = 101;
  h.reason = "UPGRADED";
  h.content_type = "application/vnd.docker.raw-stream";
  h.headers = {{"Connection", "Upgrade"}, {"Upgrade", "tcp"}};
  EXPECT_EQ(SerializeHead(h, 1, Framing::kRaw, 0, true),
            "HTTP/1.1 101 UPGRADED\r\n"
            "Content-Type: application/vnd.docker.raw-stream\r\n"
            "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
}

TEST(Message, HasTokenIgnoresCaseAndSpaces) {
  EXPECT_TRUE(HasToken("keep-alive, Upgrade", "upgrade"));
  EXPECT_TRUE(HasToken("close", "close"));
  EXPECT_FALSE(HasToken("closed", "close"));
  EXPECT_FALSE(HasToken("", "close"));
}

}  // namespace
}  // namespace http
