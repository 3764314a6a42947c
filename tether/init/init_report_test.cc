#include "tether/init/init_report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether {
namespace {

TEST(InitReport, OkStatusesAreIgnored) {
  InitReport r;
  r.Add(base::Status::Ok(), true);
  r.Add(base::Status::Ok(), false);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
}

TEST(InitReport, FirstFatalWinsLaterOnesBecomeWarnings) {
  InitReport r;
  r.Add(base::Status::Internal("w1"), false);
  r.Add(base::Status::Internal("f1"), true);
  r.Add(base::Status::Internal("f2"), true);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.fatal.message(), "f1");
  EXPECT_EQ(r.WarningMessages(), (std::vector<std::string>{"w1", "f2"}));
}

TEST(InitReport, MergeKeepsEverything) {
  InitReport sub;
  sub.Add(base::Status::Internal("sub fatal"), true);
  sub.Add(base::Status::Internal("sub warning"), false);
  InitReport r;
  r.Add(base::Status::Internal("warning"), false);
  r.Merge(std::move(sub));
  EXPECT_EQ(r.fatal.message(), "sub fatal");
  EXPECT_EQ(r.WarningMessages(),
            (std::vector<std::string>{"warning", "sub warning"}));
}

}  // namespace
}  // namespace tether
