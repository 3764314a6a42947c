// How output is framed for docker clients, and how API requests are
// logged.
#include "attach/endpoint/api/stream_client.h"

#include <gtest/gtest.h>

#include "attach/endpoint/api/access_log.h"
#include "attach/endpoint/api/stdcopy.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

TEST(Stdcopy, HeaderIsStreamAndBigEndianSize) {
  std::string f = StdcopyFrame(kStderr, std::string(258, 'x'));
  ASSERT_EQ(f.size(), 8u + 258u);
  EXPECT_EQ(f.substr(0, 8), std::string("\x02\0\0\0\0\0\x01\x02", 8));
}

TEST(OutputEncoder, FramesUnlessTty) {
  OutputEncoder plain({/*tty=*/false, true, true, false});
  EXPECT_EQ(plain.Encode(kStdout, "hi\n", 0), StdcopyFrame(kStdout, "hi\n"));
  EXPECT_EQ(plain.Encode(kStderr, "oops", 0), StdcopyFrame(kStderr, "oops"));
  OutputEncoder tty({/*tty=*/true, true, true, false});
  EXPECT_EQ(tty.Encode(kStdout, "hi\r\n", 0), "hi\r\n");
  EXPECT_EQ(tty.Notice("no such file"), "no such file\n");
  EXPECT_EQ(plain.Notice("boom"), StdcopyFrame(kStderr, "boom\n"));
}

TEST(OutputEncoder, LeavesOutStreamsNotAskedFor) {
  OutputEncoder out_only({false, true, false, false});
  EXPECT_EQ(out_only.Encode(kStderr, "err", 0), "");
  EXPECT_NE(out_only.Encode(kStdout, "out", 0), "");
}

TEST(OutputEncoder, TimestampsStartEachLine) {
  OutputEncoder ts({true, true, true, /*timestamps=*/true});
  // 2024-05-01T12:34:56.5Z
  int64_t t = 1714566896500000000;
  EXPECT_EQ(ts.Encode(kStdout, "par", t), "2024-05-01T12:34:56.500000000Z par");
  EXPECT_EQ(ts.Encode(kStdout, "tial\n", t), "tial\n");
  EXPECT_EQ(ts.Encode(kStdout, "next\n", t),
            "2024-05-01T12:34:56.500000000Z next\n");
}

TEST(AccessLog, OneLineWithWhoWhatAndHowLong) {
  http::AccessRecord r;
  r.peer.address = "127.0.0.1:5000";
  r.peer.client_subject = "CN=client,O=Tether attachd";
  r.method = "POST";
  r.target = "/v1.41/containers/create?name=a\"b\nc";
  r.status = 201;
  r.duration_us = 1500;
  r.bytes_sent = 88;
  EXPECT_EQ(
      FormatAccess(r),
      "127.0.0.1:5000 \"CN=client,O=Tether attachd\" "
      "\"POST /v1.41/containers/create?name=a\\\"b\\x0ac\" 201 1.500ms 88");
  r.peer.client_subject.clear();
  r.hijacked = true;
  r.status = 101;
  EXPECT_EQ(FormatAccess(r).substr(0, 17), "127.0.0.1:5000 - ");
  EXPECT_NE(FormatAccess(r).find(" hijacked"), std::string::npos);
}

}  // namespace
}  // namespace api
}  // namespace endpoint
}  // namespace attach
