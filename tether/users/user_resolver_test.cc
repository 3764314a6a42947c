#include "tether/users/user_resolver.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/fakes/fake_os.h"

namespace tether {
namespace {

using Code = base::Status::Code;
using Gids = std::vector<gid_t>;

constexpr char kPasswd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# service accounts\n"
    "nginx:x:101:101:nginx user:/var/cache/nginx:/sbin/nologin\n"
    "broken line\n"
    "app:x:1000:1000::/home/app:/bin/sh\n"
    "nohome:x:1001:1001:::/bin/sh\n"
    "app:x:1002:1002:shadowed duplicate:/nope:/bin/sh\n";

constexpr char kGroup[] =
    "root:x:0:\n"
    "adm:x:4:syslog,app\n"
    "nginx:x:101:\n"
    "app:x:1000:\n"
    "web:x:2000:nginx,app\n"
    "appalias:x:1000:app\n"
    "web2:x:2000:app\n"
    "bad:x:notanumber:app\n";

// nullopt leaves the file out of the fake filesystem.
struct Files {
  std::optional<std::string> passwd = std::string(kPasswd);
  std::optional<std::string> group = std::string(kGroup);
};

fakes::FakeOs MakeOs(const Files& files) {
  fakes::FakeOs os;
  if (files.passwd) os.AddFile("/etc/passwd", *files.passwd, 0644);
  if (files.group) os.AddFile("/etc/group", *files.group, 0644);
  return os;
}

struct Success {
  const char* spec;
  Files files;
  uid_t uid;
  gid_t gid;
  Gids groups;
  const char* home;
  const char* name;
};

const Files kNoFiles{std::nullopt, std::nullopt};
const Files kNoGroup{std::string(kPasswd), std::nullopt};

TEST(ResolveUser, Resolves) {
  // clang-format off
  const Success cases[] = {
      {"", {}, 0, 0, {0}, "/root", "root"},
      {"", kNoFiles, 0, 0, {0}, "/", ""},
      {"root", {}, 0, 0, {0}, "/root", "root"},
      {"nginx", {}, 101, 101, {101, 2000}, "/var/cache/nginx", "nginx"},
      // Memberships in file order; 1000 and 2000 appear twice but count once.
      {"app", {}, 1000, 1000, {1000, 4, 2000}, "/home/app", "app"},
      {"1000", {}, 1000, 1000, {1000, 4, 2000}, "/home/app", "app"},
      {"0001000", {}, 1000, 1000, {1000, 4, 2000}, "/home/app", "app"},
      // Memberships go by name, so a uid sharing it gets them all.
      {"1002", {}, 1002, 1002, {1002, 4, 2000, 1000}, "/nope", "app"},
      {"nohome", {}, 1001, 1001, {1001}, "/", "nohome"},
      // A uid without an entry runs as gid 0 with HOME=/ (runc).
      {"4242", {}, 4242, 0, {0}, "/", ""},
      {"4242", kNoFiles, 4242, 0, {0}, "/", ""},
      {"4294967294", {}, 4294967294u, 0, {0}, "/", ""},
      {"4242:4243", kNoFiles, 4242, 4243, {4243}, "/", ""},
      {"4242:web", {}, 4242, 2000, {2000}, "/", ""},
      // An explicit group replaces the memberships, as in docker.
      {"nginx:web", {}, 101, 2000, {2000}, "/var/cache/nginx", "nginx"},
      {"nginx:0", {}, 101, 0, {0}, "/var/cache/nginx", "nginx"},
      {"app:1000", {}, 1000, 1000, {1000}, "/home/app", "app"},
      {"1000:4294967294", {}, 1000, 4294967294u, {4294967294u}, "/home/app",
       "app"},
      // Memberships need /etc/group only if it is there.
      {"app", kNoGroup, 1000, 1000, {1000}, "/home/app", "app"},
      {"1000", kNoGroup, 1000, 1000, {1000}, "/home/app", "app"},
  };
  // clang-format on
  for (const Success& c : cases) {
    fakes::FakeOs os = MakeOs(c.files);
    base::Result<ResolvedUser> r = ResolveUser(os, c.spec);
    ASSERT_TRUE(r.ok()) << c.spec << ": " << r.status().ToString();
    EXPECT_EQ(r->uid, c.uid) << c.spec;
    EXPECT_EQ(r->gid, c.gid) << c.spec;
    EXPECT_EQ(r->groups, c.groups) << c.spec;
    EXPECT_EQ(r->home, c.home) << c.spec;
    EXPECT_EQ(r->name, c.name) << c.spec;
  }
}

struct Failure {
  const char* spec;
  Files files;
  Code code;
  const char* message;
};

TEST(ResolveUser, Fails) {
  const std::string big(kMaxUserDatabaseBytes + 1, '\n');
  // clang-format off
  const Failure cases[] = {
      {"nobody", {}, Code::kNotFound, "no user \"nobody\" in /etc/passwd"},
      {"12abc", {}, Code::kNotFound, "no user \"12abc\" in /etc/passwd"},
      {"nginx:nogroup", {}, Code::kNotFound,
       "no group \"nogroup\" in /etc/group"},
      {"4242:bad", {}, Code::kNotFound, "no group \"bad\" in /etc/group"},
      {"nginx", kNoFiles, Code::kNotFound,
       "look up user \"nginx\": open /etc/passwd: No such file or directory"},
      {"1000:web", kNoGroup, Code::kNotFound,
       "look up group \"web\": open /etc/group: No such file or directory"},
      {"a:b:c", {}, Code::kInvalidArgument,
       "invalid user \"a:b:c\": want name|uid[:group|gid]"},
      {":", {}, Code::kInvalidArgument,
       "invalid user \":\": want name|uid[:group|gid]"},
      {":0", {}, Code::kInvalidArgument,
       "invalid user \":0\": want name|uid[:group|gid]"},
      {"1000:", {}, Code::kInvalidArgument,
       "invalid user \"1000:\": want name|uid[:group|gid]"},
      {"4294967295", {}, Code::kInvalidArgument,
       "invalid user \"4294967295\": uid out of range"},
      {"0:99999999999", {}, Code::kInvalidArgument,
       "invalid user \"0:99999999999\": gid out of range"},
      {"1000", Files{big, std::nullopt}, Code::kInvalidArgument,
       "look up uid 1000: /etc/passwd: larger than 4194304 bytes"},
      {"app", Files{std::string(kPasswd), big}, Code::kInvalidArgument,
       "look up groups of \"app\": /etc/group: larger than 4194304 bytes"},
  };
  // clang-format on
  for (const Failure& c : cases) {
    fakes::FakeOs os = MakeOs(c.files);
    base::Result<ResolvedUser> r = ResolveUser(os, c.spec);
    ASSERT_FALSE(r.ok()) << c.spec;
    EXPECT_EQ(r.status().code(), c.code) << c.spec;
    EXPECT_EQ(r.status().message(), c.message) << c.spec;
  }
}

TEST(WithDefaultHome, AppendsHomeWhenAbsent) {
  using Env = std::vector<std::string>;
  EXPECT_EQ(WithDefaultHome({"PATH=/bin"}, "/home/app"),
            (Env{"PATH=/bin", "HOME=/home/app"}));
  EXPECT_EQ(WithDefaultHome({}, ""), Env{"HOME=/"});
  // HOMEDIR is not HOME; an empty HOME= is the user's choice and stays.
  EXPECT_EQ(WithDefaultHome({"HOMEDIR=/x"}, "/root"),
            (Env{"HOMEDIR=/x", "HOME=/root"}));
  EXPECT_EQ(WithDefaultHome({"HOME=", "A=1"}, "/root"), (Env{"HOME=", "A=1"}));
  EXPECT_EQ(WithDefaultHome({"A=1", "HOME=/data"}, "/root"),
            (Env{"A=1", "HOME=/data"}));
}

}  // namespace
}  // namespace tether
