#include "pprof/request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace pprof {
namespace {

using State = RequestParser::State;

// Feeds `in` whole; returns the outcome of the last call.
RequestParser::Outcome FeedAll(RequestParser& p, const std::string& in) {
  return p.Feed(in.data(), in.size());
}

TEST(RequestParser, ParsesAGetWithQueryAndHeaders) {
  RequestParser p;
  auto out = FeedAll(p,
                     "GET /debug/pprof/heap?debug=1 HTTP/1.1\r\n"
                     "Host: x\r\nUser-Agent: Go-http-client/1.1\r\n\r\n");
  ASSERT_EQ(out.state, State::kRequest);
  HttpRequest r = p.TakeRequest();
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/debug/pprof/heap");
  EXPECT_EQ(r.query, "debug=1");
  ASSERT_NE(r.Header("user-agent"), nullptr);
  EXPECT_EQ(*r.Header("user-agent"), "Go-http-client/1.1");
  EXPECT_TRUE(r.keep_alive);
}

TEST(RequestParser, StopsAfterEachPipelinedRequest) {
  RequestParser p;
  std::string two =
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n";
  auto out = FeedAll(p, two);
  ASSERT_EQ(out.state, State::kRequest);
  EXPECT_EQ(p.TakeRequest().path, "/a");
  std::string rest = two.substr(out.consumed);
  out = FeedAll(p, rest);
  ASSERT_EQ(out.state, State::kRequest);
  HttpRequest b = p.TakeRequest();
  EXPECT_EQ(b.path, "/b");
  EXPECT_FALSE(b.keep_alive);
}

TEST(RequestParser, AcceptsInputByteByByte) {
  RequestParser p;
  std::string req =
      "POST /debug/pprof/symbol HTTP/1.1\r\nHost: x\r\n"
      "Content-Length: 11\r\n\r\n0x1234+0x56";
  for (size_t i = 0; i + 1 < req.size(); ++i) {
    ASSERT_EQ(p.Feed(&req[i], 1).state, State::kNeedMore) << i;
  }
  ASSERT_EQ(p.Feed(&req.back(), 1).state, State::kRequest);
  HttpRequest r = p.TakeRequest();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "0x1234+0x56");
}

TEST(RequestParser, DecodesChunkedBodies) {
  RequestParser p;
  auto out = FeedAll(p,
                     "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  ASSERT_EQ(out.state, State::kRequest);
  EXPECT_EQ(p.TakeRequest().body, "abcde");
}

TEST(RequestParser, HttpTenClosesByDefault) {
  RequestParser p;
  ASSERT_EQ(FeedAll(p, "GET / HTTP/1.0\r\n\r\n").state, State::kRequest);
  EXPECT_FALSE(p.TakeRequest().keep_alive);
}

struct BadCase {
  const char* name;
  std::string input;
  int status;
  const char* reason;
};

class RequestParserErrors : public testing::TestWithParam<BadCase> {};

TEST_P(RequestParserErrors, AnswersWithAStatusAndReason) {
  RequestLimits limits;
  limits.max_body = 16;
  limits.max_header_bytes = 64;
  limits.max_target = 32;
  limits.max_headers = 3;
  RequestParser p(limits);
  auto out = FeedAll(p, GetParam().input);
  ASSERT_EQ(out.state, State::kError);
  EXPECT_EQ(p.error_status(), GetParam().status);
  EXPECT_NE(p.error().find(GetParam().reason), std::string::npos) << p.error();
  // Stays failed.
  EXPECT_EQ(p.Feed("GET / HTTP/1.1\r\n\r\n", 18).state, State::kError);
}

INSTANTIATE_TEST_SUITE_P(
    All, RequestParserErrors,
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
        BadCase{"big_body",
                "POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n", 413, "body"},
        BadCase{"big_chunked",
                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                "20\r\n" + std::string(32, 'x') + "\r\n",
                413, "body"},
        BadCase{"http2", "GET / HTTP/2.0\r\n\r\n", 505, "HTTP/1"},
        BadCase{"connect", "CONNECT a:1 HTTP/1.1\r\n\r\n", 400, ""},
        BadCase{"bad_length",
                "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400,
                "malformed"}),
    [](const testing::TestParamInfo<BadCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace pprof
