#include "tether/env_merge.h"

#include <gtest/gtest.h>

#include "tether/path_lookup.h"

namespace tether {
namespace {

using Env = std::vector<std::string>;

TEST(ReplaceOrAppendEnv, AnExecOverrideReplacesInPlace) {
  Env merged = ReplaceOrAppendEnv({"PATH=/bin", "HOME=/root", "A=1"},
                                  {"PATH=/opt/bin:/bin", "B=2"});
  EXPECT_EQ(merged, (Env{"PATH=/opt/bin:/bin", "HOME=/root", "A=1", "B=2"}));
  // What the exec'd program's getenv and the tether's PATH lookup see.
  ASSERT_NE(FindEnv(merged, "PATH"), nullptr);
  EXPECT_EQ(*FindEnv(merged, "PATH"), "PATH=/opt/bin:/bin");
}

TEST(ReplaceOrAppendEnv, NoDuplicatesAndLaterOverridesWin) {
  Env merged =
      ReplaceOrAppendEnv({"A=1", "A=dup", "B=2"}, {"A=3", "C=4", "A=5", "C=6"});
  EXPECT_EQ(merged, (Env{"A=5", "B=2", "C=6"}));
}

TEST(ReplaceOrAppendEnv, AKeyWithoutValueUnsets) {
  EXPECT_EQ(ReplaceOrAppendEnv({"A=1", "B=2"}, {"A", "C"}), Env{"B=2"});
  EXPECT_EQ(ReplaceOrAppendEnv({"A=1"}, {"A", "A=back"}), Env{"A=back"});
}

TEST(ReplaceOrAppendEnv, EmptyValuesAndEqualsInValuesAreKept) {
  EXPECT_EQ(ReplaceOrAppendEnv({"A="}, {"B=x=y"}), (Env{"A=", "B=x=y"}));
  EXPECT_EQ(ReplaceOrAppendEnv({}, {}), Env{});
}

}  // namespace
}  // namespace tether
