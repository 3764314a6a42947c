#include "tether/users/passwd.h"

#include <gtest/gtest.h>

namespace tether {
namespace {

TEST(ParsePasswd, ParsesEveryField) {
  PasswdFile f = ParsePasswd(
      "root:x:0:0:root:/root:/bin/bash\n"
      "nginx:x:101:102:nginx user,,,:/var/cache/nginx:/sbin/nologin\n");
  ASSERT_EQ(f.entries.size(), 2u);
  const PasswdEntry& n = f.entries[1];
  EXPECT_EQ(n.name, "nginx");
  EXPECT_EQ(n.uid, 101u);
  EXPECT_EQ(n.gid, 102u);
  EXPECT_EQ(n.gecos, "nginx user,,,");
  EXPECT_EQ(n.home, "/var/cache/nginx");
  EXPECT_EQ(n.shell, "/sbin/nologin");
  EXPECT_EQ(f.stats.malformed, 0u);
}

TEST(ParsePasswd, ToleratesCrlfCommentsNisAndNoFinalNewline) {
  PasswdFile f = ParsePasswd(
      "# users\r\n\r\nroot:x:0:0::/root:/bin/sh\r\n+@admins:::::::\n"
      "-baduser\napp:x:1000:1000::/home/app:");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].shell, "/bin/sh");
  EXPECT_EQ(f.entries[1].name, "app");
  EXPECT_EQ(f.entries[1].shell, "");
  EXPECT_EQ(f.stats.malformed, 0u);
}

TEST(ParsePasswd, SkipsAndCountsMalformedLines) {
  struct Case {
    const char* line;
    const char* why;
  } cases[] = {
      {"short:x:1:1:gecos:/home", "six fields"},
      {"long:x:1:1:gecos:/home:/bin/sh:extra", "eight fields"},
      {":x:1:1::/:/bin/sh", "empty name"},
      {"u:x:12abc:1::/:/bin/sh", "uid with letters"},
      {"u:x:1:-1::/:/bin/sh", "negative gid"},
      {"u:x::1::/:/bin/sh", "empty uid"},
      {"u:x:4294967295:1::/:/bin/sh", "uid -1"},
      {"u:x:1: 1::/:/bin/sh", "blank in gid"},
      {"garbage", "one field"},
  };
  for (const Case& c : cases) {
    std::string content = std::string("ok:x:1:1::/:/bin/sh\n") + c.line +
                          "\nok2:x:2:2::/:/bin/sh\n";
    PasswdFile f = ParsePasswd(content);
    ASSERT_EQ(f.entries.size(), 2u) << c.why;
    EXPECT_EQ(f.entries[1].name, "ok2") << c.why;
    EXPECT_EQ(f.stats.malformed, 1u) << c.why;
    EXPECT_EQ(f.stats.first_malformed_line, 2u) << c.why;
  }
}

TEST(ParsePasswd, AcceptsLargestId) {
  PasswdFile f = ParsePasswd("big:x:4294967294:4294967294::/:/bin/sh");
  ASSERT_EQ(f.entries.size(), 1u);
  EXPECT_EQ(f.entries[0].uid, 4294967294u);
  EXPECT_EQ(f.entries[0].gid, 4294967294u);
}

TEST(ParsePasswd, EmptyContentHasNoEntries) {
  EXPECT_TRUE(ParsePasswd("").entries.empty());
  EXPECT_TRUE(ParsePasswd("\n\n").entries.empty());
}

}  // namespace
}  // namespace tether
