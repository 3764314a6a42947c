// tetherctl run before any VM boots: flags are checked before an attachd
// is started, and an attachd that cannot be started is reported with
// docker run's 125. (Booting VMs: tests/e2e/run_*_test.sh.)
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>

#include "attach/ctl/test_process.h"

namespace attach {
namespace ctl {
namespace {

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tetherctl-run.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    unsetenv("TETHER_ATTACHD");
    std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(system(cmd.c_str()), 0);
  }
  std::string dir_;
};

TEST_F(RunTest, ABadMemoryFlagStartsNothing) {
  setenv("TETHER_ATTACHD", "/nonexistent/attachd", 1);
  ProcessResult r = RunTetherctl(dir_ + "/state", {"run", "--listen", "127.0.0.1:0", "-m", "lots", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err,
            "tetherctl: invalid argument \"lots\" for \"-m, --memory\" flag: "
            "not a size\nSee 'tetherctl run --help'.\n");
  struct stat st;
  EXPECT_NE(::stat((dir_ + "/state").c_str(), &st), 0);
}

TEST_F(RunTest, AnAttachdThatCannotRunIsReported) {
  setenv("TETHER_ATTACHD", "/nonexistent/attachd", 1);
  ProcessResult r = RunTetherctl(dir_ + "/state", {"run", "--listen", "127.0.0.1:0", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("cannot start attachd (/nonexistent/attachd): No such "
                       "file or directory"),
            std::string::npos)
      << r.err;
}

TEST_F(RunTest, AnAttachdThatExitsAtStartIsReportedWithItsLastWords) {
  std::string fake = dir_ + "/attachd";
  {
    std::ofstream f(fake);
    f << "#!/bin/sh\necho 'attachd: error: --listen: bad address' >&2\nexit 1\n";
  }
  ASSERT_EQ(::chmod(fake.c_str(), 0755), 0);
  setenv("TETHER_ATTACHD", fake.c_str(), 1);
  ProcessResult r = RunTetherctl(dir_ + "/state", {"run", "--listen", "127.0.0.1:0", "true"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_NE(r.err.find("attachd exited at start: attachd: error: --listen: "
                       "bad address (log: " + dir_ + "/state/attachd.log)"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace ctl
}  // namespace attach
