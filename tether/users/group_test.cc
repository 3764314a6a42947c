#include "tether/users/group.h"

#include <gtest/gtest.h>

namespace tether {
namespace {

using Members = std::vector<std::string>;

TEST(ParseGroup, ParsesNameGidAndMembers) {
  GroupFile f = ParseGroup(
      "root:x:0:\n"
      "adm:x:4:syslog,app\n"
      "web:!:2000:nginx,,app,\n");
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].name, "root");
  EXPECT_EQ(f.entries[0].gid, 0u);
  EXPECT_EQ(f.entries[0].members, Members{});
  EXPECT_EQ(f.entries[1].members, (Members{"syslog", "app"}));
  EXPECT_EQ(f.entries[2].gid, 2000u);
  EXPECT_EQ(f.entries[2].members, (Members{"nginx", "app"}));
  EXPECT_EQ(f.stats.malformed, 0u);
}

TEST(ParseGroup, ToleratesCrlfCommentsNisAndNoFinalNewline) {
  GroupFile f =
      ParseGroup("#groups\r\nstaff:x:50:app\r\n+:::\n-old::\n\nlast:x:9:a");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[0].members, Members{"app"});
  EXPECT_EQ(f.entries[1].name, "last");
  EXPECT_EQ(f.entries[1].members, Members{"a"});
  EXPECT_EQ(f.stats.malformed, 0u);
}

TEST(ParseGroup, SkipsAndCountsMalformedLines) {
  struct Case {
    const char* line;
    const char* why;
    // clang-format off
  } cases[] = {
      {"g:x:1", "three fields"},
      {"g:x:1:a:b", "five fields"},
      {":x:1:", "empty name"},
      {"g:x:1x:", "gid with letters"},
      {"g:x:-5:", "negative gid"},
      {"g:x::", "empty gid"},
      {"g:x:4294967295:", "gid -1"},
  };
  // clang-format on
  for (const Case& c : cases) {
    std::string content = std::string("a:x:1:\n\n") + c.line + "\nb:x:2:u\n";
    GroupFile f = ParseGroup(content);
    ASSERT_EQ(f.entries.size(), 2u) << c.why;
    EXPECT_EQ(f.entries[1].name, "b") << c.why;
    EXPECT_EQ(f.stats.malformed, 1u) << c.why;
    EXPECT_EQ(f.stats.first_malformed_line, 3u) << c.why;
  }
}

}  // namespace
}  // namespace tether
