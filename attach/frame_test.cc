#include "attach/frame.h"

#include <gtest/gtest.h>

#include "control.pb.h"

namespace attach {
namespace {

using tether::attach::Envelope;

TEST(Frame, RoundTripsByteByByte) {
  Envelope a;
  a.mutable_hello()->set_container_id(std::string(64, 'a'));
  a.mutable_hello()->set_version(1);
  Envelope b;
  b.mutable_ping()->set_nonce(42);
  std::string wire = EncodeFrame(a) + EncodeFrame(b);
  FrameReader r;
  std::vector<std::string> got;
  for (char c : wire) {
    r.Append(&c, 1);
    auto next = r.Next();
    ASSERT_TRUE(next.ok());
    if (next->has_value()) got.push_back(**next);
  }
  ASSERT_EQ(got.size(), 2u);
  Envelope a2, b2;
  ASSERT_TRUE(ParseFrame(got[0], &a2, "control").ok());
  ASSERT_TRUE(ParseFrame(got[1], &b2, "control").ok());
  EXPECT_EQ(a2.hello().container_id(), std::string(64, 'a'));
  EXPECT_EQ(b2.ping().nonce(), 42u);
  EXPECT_EQ(r.buffered(), 0u);
}

TEST(Frame, RejectsBadLengths) {
  FrameReader r;
  r.Append("\0\0\0\0", 4);
  EXPECT_EQ(r.Next().status().message(),
            "frame length 0 out of range (1..1048576)");
  FrameReader big;
  big.Append("\x00\x10\x00\x01", 4);
  EXPECT_EQ(big.Next().status().message(),
            "frame length 1048577 out of range (1..1048576)");
}

TEST(Frame, MalformedPayloadIsAnError) {
  Envelope e;
  EXPECT_EQ(ParseFrame("\xff\xff\xff", &e, "control").message(),
            "control: malformed message");
}

TEST(Frame, UnknownFieldsAreIgnored) {
  // Field 100, varint 7: from a newer peer.
  std::string payload = "\xa0\x06\x07";
  Envelope e;
  EXPECT_TRUE(ParseFrame(payload, &e, "control").ok());
  EXPECT_EQ(e.msg_case(), Envelope::MSG_NOT_SET);
}

}  // namespace
}  // namespace attach
