#include "guestinfo/rpci.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "guestinfo/encoding.h"
#include "guestinfo/rpci_source.h"
#include "guestinfo/state.h"
#include "tests/fakes/fake_rpci.h"

namespace guestinfo {
namespace {

using ::testing::ElementsAre;
using Code = base::Status::Code;

TEST(ParseRpciReply, SuccessAndFailureForms) {
  EXPECT_EQ(*ParseRpciReply("1 value with spaces"), "value with spaces");
  EXPECT_EQ(*ParseRpciReply("1 "), "");
  EXPECT_EQ(*ParseRpciReply("1"), "");
  base::Result<std::string> none = ParseRpciReply("0 No value found");
  EXPECT_EQ(none.status().code(), Code::kNotFound);
  base::Result<std::string> refused = ParseRpciReply("0 Permission denied");
  EXPECT_EQ(refused.status().code(), Code::kUnavailable);
  EXPECT_EQ(refused.status().ToString(), "host refused: \"Permission denied\"");
  for (const char* bad : {"", "0", "2 x", "1x", "10 x", "\x01"}) {
    base::Result<std::string> r = ParseRpciReply(bad);
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseRpciReply("ok").status().ToString(),
            "malformed RPCI reply \"ok\"");
}

TEST(InfoGet, SendsTheCommandAndParsesTheReply) {
  fakes::FakeRpci host;
  host.values["guestinfo.a"] = "1 2 3";
  EXPECT_EQ(*InfoGet(host, "guestinfo.a"), "1 2 3");
  base::Result<std::string> missing = InfoGet(host, "guestinfo.b");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(missing.status().ToString(), "guestinfo.b: No value found");
  EXPECT_THAT(host.requests,
              ElementsAre("info-get guestinfo.a", "info-get guestinfo.b"));
  EXPECT_EQ(InfoGet(host, "bad key").status().code(), Code::kInvalidArgument);
}

TEST(InfoSet, WritesAndReportsRefusal) {
  fakes::FakeRpci host;
  EXPECT_TRUE(InfoSet(host, "guestinfo.k", "v w").ok());
  EXPECT_EQ(host.values["guestinfo.k"], "v w");
  host.read_only.insert("guestinfo.k");
  EXPECT_EQ(InfoSet(host, "guestinfo.k", "x").ToString(),
            "guestinfo.k: host refused: \"Permission denied\"");
  EXPECT_EQ(InfoSet(host, "guestinfo.k", std::string("a\0b", 3)).code(),
            Code::kInvalidArgument);
}

TEST(InfoGet, TransportErrorsCarryTheKey) {
  fakes::FakeRpci host;
  host.transport_error = base::Status::Unavailable("vmware backdoor: gone");
  EXPECT_EQ(InfoGet(host, "guestinfo.a").status().ToString(),
            "guestinfo.a: vmware backdoor: gone");
}

TEST(RpciSource, ReadsPlainConfig) {
  fakes::FakeRpci host;
  host.values[kConfigKey] = "{\"version\":1}";
  auto source = NewRpciSource(host);
  EXPECT_EQ(source->Name(), "vmware guestinfo.tether.config");
  EXPECT_EQ(*source->Read(), "{\"version\":1}");
}

TEST(RpciSource, DecodesEveryEncoding) {
  const std::string config = "{\"version\": 1, \"id\": \"x\"}";
  for (const char* enc : {"plain", "base64", "gzip+base64", "gz+b64"}) {
    fakes::FakeRpci host;
    host.values[kConfigKey] = *EncodePayload(config, enc);
    host.values[kConfigEncodingKey] = enc;
    base::Result<std::string> text = NewRpciSource(host)->Read();
    ASSERT_TRUE(text.ok()) << enc << ": " << text.status().ToString();
    EXPECT_EQ(*text, config) << enc;
  }
}

TEST(RpciSource, AbsentKeyIsNotFound) {
  fakes::FakeRpci host;
  base::Result<std::string> text = NewRpciSource(host)->Read();
  EXPECT_EQ(text.status().code(), Code::kNotFound);
  EXPECT_EQ(text.status().ToString(), "vmware: no guestinfo.tether.config");
}

TEST(RpciSource, BadPayloadNamesSourceAndEncoding) {
  fakes::FakeRpci host;
  host.values[kConfigKey] = "%%%";
  host.values[kConfigEncodingKey] = "base64";
  EXPECT_EQ(NewRpciSource(host)->Read().status().ToString(),
            "vmware guestinfo.tether.config: base64: invalid character '%' "
            "at offset 0");
  host.values[kConfigEncodingKey] = "bzip2";
  EXPECT_EQ(NewRpciSource(host)->Read().status().ToString(),
            "vmware guestinfo.tether.config: unknown encoding \"bzip2\" "
            "(expected plain, base64 or gzip+base64)");
}

TEST(RpciSource, HideOverwritesTheConfigKey) {
  fakes::FakeRpci host;
  host.values[kConfigKey] = "{}";
  auto source = NewRpciSource(host);
  ASSERT_TRUE(source->Read().ok());
  ASSERT_TRUE(source->Hide().ok());
  EXPECT_EQ(host.values[kConfigKey], " ");
  // A later boot sees "cleared", not a config.
  base::Result<std::string> again = NewRpciSource(host)->Read();
  EXPECT_EQ(again.status().code(), Code::kNotFound);
  EXPECT_EQ(again.status().ToString(),
            "vmware: guestinfo.tether.config was cleared after an earlier "
            "read");
  host.read_only.insert(kConfigKey);
  EXPECT_EQ(source->Hide().ToString(),
            "vmware: hide config: guestinfo.tether.config: host refused: "
            "\"Permission denied\"");
}

TEST(RpciStateSink, PublishesEncodedState) {
  fakes::FakeRpci host;
  RpciStateSink sink(host);
  GuestState state;
  state.id = "abc";
  state.sessions.push_back({});
  state.sessions[0].id = "main";
  ASSERT_TRUE(sink.Write(state).ok());
  EXPECT_EQ(host.values[kStateKey], EncodeState(state));
  EXPECT_EQ(
      host.requests.back(),
      std::string("info-set guestinfo.tether.state ") + EncodeState(state));
  host.read_only.insert(kStateKey);
  EXPECT_EQ(sink.Write(state).code(), Code::kUnavailable);
}

}  // namespace
}  // namespace guestinfo
