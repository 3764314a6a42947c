#include "tether/path_lookup.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

TEST(LookPath, SlashMeansAsIs) {
  fakes::FakeOs os;
  EXPECT_EQ(*LookPath(os, "./run", {}), "./run");
  EXPECT_EQ(*LookPath(os, "/no/such", {}), "/no/such");
}

TEST(LookPath, SearchesTheSessionsPath) {
  fakes::FakeOs os;
  os.AddFile("/opt/bin/app", "");
  os.AddFile("/usr/bin/app", "");
  EXPECT_EQ(*LookPath(os, "app", {"PATH=/opt/bin:/usr/bin"}), "/opt/bin/app");
  // The first PATH, as the program's own getenv would see it.
  EXPECT_EQ(*LookPath(os, "app", {"PATH=/usr/bin", "PATH=/x"}),
            "/usr/bin/app");
  EXPECT_EQ(*LookPath(os, "app", {}), "/usr/bin/app");  // Default PATH.
}

TEST(LookPath, SkipsDirectoriesAndNonExecutables) {
  fakes::FakeOs os;
  os.AddDir("/a/app");
  os.AddFile("/b/app", "", S_IFREG | 0644);
  os.AddFile("/c/app", "", S_IFREG | 0700);
  EXPECT_EQ(*LookPath(os, "app", {"PATH=/a:/b:/c"}), "/c/app");
  base::Result<std::string> r = LookPath(os, "app", {"PATH=/a:/b"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kPermissionDenied);
  EXPECT_EQ(r.status().message(), "exec: \"app\": permission denied");
}

TEST(LookPath, NotFoundMessageIsDockers) {
  fakes::FakeOs os;
  base::Result<std::string> r = LookPath(os, "nope", {"PATH=/bin"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::Status::Code::kNotFound);
  EXPECT_EQ(r.status().message(),
            "exec: \"nope\": executable file not found in $PATH");
}

TEST(FindEnv, FirstDefinitionWinsAsInGetenv) {
  std::vector<std::string> env = {"AB=2", "A=1", "A=3"};
  ASSERT_NE(FindEnv(env, "A"), nullptr);
  EXPECT_EQ(*FindEnv(env, "A"), "A=1");
  EXPECT_EQ(FindEnv(env, "B"), nullptr);
}

}  // namespace
}  // namespace tether
