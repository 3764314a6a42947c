#include "http/request_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace http {
namespace {

using Event = RequestReader::Event;

// Feeds `in` until an event other than kBody; collects body pieces.
struct Fed {
  Event event = Event::kNeedMore;
  std::string body;
  size_t consumed = 0;
};
Fed FeedToEvent(RequestReader& r, const std::string& in, size_t from = 0) {
  Fed out;
  out.consumed = from;
  while (out.consumed < in.size()) {
    RequestReader::Step s =
        r.Feed(in.data() + out.consumed, in.size() - out.consumed);
    out.consumed += s.consumed;
    out.event = s.event;
    if (s.event == Event::kBody) {
      out.body.append(s.body);
      continue;
    }
    if (s.event != Event::kNeedMore) break;
  }
  return out;
}

TEST(RequestReader, StopsAtTheHeadThenTheEnd) {
  RequestReader r;
  std::string in =
      "GET /debug/pprof/heap?debug=1 HTTP/1.1\r\n"
      "Host: x\r\nUser-Agent: Go-http-client/1.1\r\n\r\nGET /next";
  Fed f = FeedToEvent(r, in);
  ASSERT_EQ(f.event, Event::kHead);
  EXPECT_TRUE(r.in_body());
  Request req = r.TakeRequest();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/debug/pprof/heap");
  EXPECT_EQ(req.query, "debug=1");
  ASSERT_NE(req.Header("user-agent"), nullptr);
  EXPECT_EQ(*req.Header("user-agent"), "Go-http-client/1.1");
  EXPECT_TRUE(req.keep_alive);
  EXPECT_FALSE(req.has_body());
  f = FeedToEvent(r, in, f.consumed);
  ASSERT_EQ(f.event, Event::kEnd);
  EXPECT_EQ(in.substr(f.consumed), "GET /next");
  EXPECT_FALSE(r.in_head());
}

TEST(RequestReader, AcceptsInputByteByByte) {
  RequestReader r;
  std::string in =
      "POST /debug/pprof/symbol HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: 11\r\n\r\n0x1234+0x56";
  std::string body;
  int heads = 0, ends = 0;
  for (size_t i = 0; i < in.size();) {
    RequestReader::Step s = r.Feed(&in[i], 1);
    i += s.consumed;
    if (s.event == Event::kHead) ++heads;
    if (s.event == Event::kBody) body.append(s.body);
    if (s.event == Event::kEnd) ++ends;
    ASSERT_NE(s.event, Event::kError);
  }
  // The final CRLF's LF and the last body byte are re-fed after pauses.
  EXPECT_EQ(heads, 1);
  EXPECT_EQ(body, "0x1234+0x56");
  EXPECT_EQ(ends, 1);
}

TEST(RequestReader, DecodesChunkedBodies) {
  RequestReader r;
  std::string in =
      "POST /images/load HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  Fed f = FeedToEvent(r, in);
  ASSERT_EQ(f.event, Event::kHead);
  Request req = r.TakeRequest();
  EXPECT_TRUE(req.chunked);
  EXPECT_TRUE(req.has_body());
  f = FeedToEvent(r, in, f.consumed);
  ASSERT_EQ(f.event, Event::kEnd);
  EXPECT_EQ(f.body, "abcde");
  EXPECT_EQ(f.consumed, in.size());
}

// docker exec start: an Upgrade request with a JSON body, and stdin bytes
// right behind it in the same packet.
TEST(RequestReader, StopsAfterTheBodyOfAnUpgradeRequest) {
  RequestReader r;
  std::string in =
      "POST /exec/e1/start HTTP/1.1\r\nConnection: Upgrade\r\n"
      "Upgrade: tcp\r\nContent-Length: 2\r\n\r\n{}RAW\r\n\r\nBYTES";
  Fed f = FeedToEvent(r, in);
  ASSERT_EQ(f.event, Event::kHead);
  EXPECT_TRUE(r.TakeRequest().upgrade);
  f = FeedToEvent(r, in, f.consumed);
  ASSERT_EQ(f.event, Event::kEnd);
  EXPECT_EQ(f.body, "{}");
  EXPECT_EQ(in.substr(f.consumed), "RAW\r\n\r\nBYTES");
}

TEST(RequestReader, HttpTenClosesByDefault) {
  RequestReader r;
  ASSERT_EQ(FeedToEvent(r, "GET / HTTP/1.0\r\n\r\n").event, Event::kHead);
  Request req = r.TakeRequest();
  EXPECT_FALSE(req.keep_alive);
  EXPECT_EQ(req.version_minor, 0);
}

struct BadCase {
  const char* name;
  std::string input;
  int status;
  const char* reason;
};

class RequestReaderErrors : public testing::TestWithParam<BadCase> {};

TEST_P(RequestReaderErrors, AnswersWithAStatusAndReason) {
  RequestLimits limits;
  limits.max_header_bytes = 64;
  limits.max_target = 32;
  limits.max_headers = 3;
  RequestReader r(limits);
  ASSERT_EQ(FeedToEvent(r, GetParam().input).event, Event::kError);
  EXPECT_EQ(r.error_status(), GetParam().status);
  EXPECT_NE(r.error().find(GetParam().reason), std::string::npos) << r.error();
  EXPECT_EQ(r.Feed("GET / HTTP/1.1\r\n\r\n", 18).event, Event::kError);
}

INSTANTIATE_TEST_SUITE_P(
    All, RequestReaderErrors,
    testing::Values(
        BadCase{"garbage", "\x01\x02 nonsense\r\n\r\n", 400, "malformed"},
        BadCase{"no_path", "GET http://x/ HTTP/1.1\r\n\r\n", 400, "path"},
        BadCase{"long_target", "GET /" + std::string(40, 'a') + " HTTP/1.1\r\n",
                414, "request target"},
        BadCase{"big_headers",
                "GET / HTTP/1.1\r\nX: " + std::string(80, 'v') + "\r\n\r\n",
                431, "headers larger"},
        BadCase{"many_headers",
                "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", 431,
                "more than 3 headers"},
        BadCase{"http2", "GET / HTTP/2.0\r\n\r\n", 505, "HTTP/1"},
        BadCase{"connect", "CONNECT a:1 HTTP/1.1\r\n\r\n", 400, "CONNECT"},
        BadCase{"bad_length", "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                400, "malformed"},
        BadCase{"smuggling",
                "POST / HTTP/1.1\r\nContent-Length: 1\r\n"
                "Transfer-Encoding: chunked\r\n\r\n",
                400, "malformed"}),
    [](const testing::TestParamInfo<BadCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace http
