#include "attach/link/preamble.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include "attach/link/test_support.h"

namespace attach {
namespace {

using ::testing::HasSubstr;

class SyncResponderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv_), 0);
  }
  void TearDown() override {
    ::close(sv_[0]);
    if (sv_[1] >= 0) ::close(sv_[1]);
    EXPECT_TRUE(testing::DrainAndClose(&loop_));
  }

  std::optional<base::Result<std::string>> Run() {
    std::optional<base::Result<std::string>> out;
    SyncResponder sync(&loop_, sv_[0], true);
    base::Status s = sync.Start(
        [&](base::Result<std::string> r) { out.emplace(std::move(r)); });
    EXPECT_TRUE(s.ok()) << s.ToString();
    testing::RunUntil(
        &loop_, [&] { return out.has_value(); }, 5000);
    return out;
  }

  uv_loop_t loop_;
  int sv_[2];
};

TEST_F(SyncResponderTest, EchoesTheLineAndHandsOverTheRest) {
  std::string line = SyncLine(0x0123456789abcdefULL);
  std::string in = "stale ssh bytes\x01\x02\n" + line + "SSH-2.0-x\r\n";
  ASSERT_EQ(::write(sv_[1], in.data(), in.size()),
            static_cast<ssize_t>(in.size()));
  auto out = Run();
  ASSERT_TRUE(out.has_value());
  ASSERT_TRUE(out->ok()) << out->status().ToString();
  EXPECT_EQ(**out, "SSH-2.0-x\r\n");
  char buf[256];
  ssize_t n = ::read(sv_[1], buf, sizeof(buf));
  EXPECT_EQ(std::string(buf, n > 0 ? static_cast<size_t>(n) : 0), line);
}

TEST_F(SyncResponderTest, EndpointGoneIsUnavailable) {
  ::close(sv_[1]);
  sv_[1] = -1;
  auto out = Run();
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->ok());
  EXPECT_EQ(out->status().code(), base::Status::Code::kUnavailable);
  EXPECT_THAT(out->status().message(), HasSubstr("sync preamble"));
}

TEST(PreBannerFilter, DropsLinesBeforeTheVersion) {
  PreBannerFilter f;
  std::string out;
  std::string line = SyncLine(7);
  ASSERT_TRUE(f.Feed(line + line.substr(0, 5), &out).ok());
  EXPECT_EQ(out, "");
  ASSERT_TRUE(f.Feed(line.substr(5) + "SS", &out).ok());
  EXPECT_EQ(out, "");
  EXPECT_FALSE(f.done());
  ASSERT_TRUE(f.Feed("H-2.0-libssh_0.10\r\n", &out).ok());
  EXPECT_TRUE(f.done());
  EXPECT_EQ(out, "SSH-2.0-libssh_0.10\r\n");
  ASSERT_TRUE(f.Feed(std::string("\0\1", 2), &out).ok());
  EXPECT_EQ(out, std::string("SSH-2.0-libssh_0.10\r\n\0\1", 23));
}

TEST(PreBannerFilter, LineStartingLikeTheVersionIsNotIt) {
  PreBannerFilter f;
  std::string out;
  ASSERT_TRUE(f.Feed("SSX\nSSH-2.0-a\r\n", &out).ok());
  EXPECT_EQ(out, "SSH-2.0-a\r\n");
}

TEST(PreBannerFilter, GivesUpAfterTheScanLimit) {
  PreBannerFilter f;
  std::string out;
  std::string junk(kSyncMaxScan + 1, 'x');
  base::Status s = f.Feed(junk, &out);
  EXPECT_EQ(s.code(), base::Status::Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("no SSH version line"));
}

}  // namespace
}  // namespace attach
