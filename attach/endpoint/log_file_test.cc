#include "attach/endpoint/log_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "attach/endpoint/testing/test_util.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

using testing::FileText;

class LogFileTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  std::string path_ = dir_.path() + "/attachd.log";
};

TEST_F(LogFileTest, StampsLinesAndRotatesAtTheCap) {
  auto f = LogFile::Open(path_, 200);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_FALSE((*f)->is_stderr());
  std::string line(60, 'x');
  line += "\n";
  for (int i = 0; i < 3; ++i) (*f)->Write(line.data(), line.size());
  // 3 lines of 25 + 61 bytes pass 200: the third starts a new file.
  std::string old = FileText(path_ + ".1");
  std::string now = FileText(path_);
  EXPECT_EQ(old.size(), 2 * (25 + line.size()));
  EXPECT_EQ(now.size(), 25 + line.size());
  EXPECT_EQ(now.substr(23), "Z " + line);
  EXPECT_EQ(now[4], '-');
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LogFileTest, InstalledItTakesBaseLogLines) {
  auto f = LogFile::Open(path_, 1 << 20);
  ASSERT_TRUE(f.ok());
  (*f)->Install();
  base::LogLevel level = base::GetLogLevel();
  base::SetLogLevel(base::LogLevel::kInfo);
  LOG_INFO("into the file %d", 42);
  base::SetLogLevel(level);
  f->reset();  // Uninstalls.
  LOG_INFO("not into the file");
  EXPECT_NE(FileText(path_).find(": info: into the file 42\n"),
            std::string::npos);
  EXPECT_EQ(FileText(path_).find("not into"), std::string::npos);
}

TEST_F(LogFileTest, KnowsWhenStderrIsTheFile) {
  int saved = ::dup(STDERR_FILENO);
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
  auto f = LogFile::Open(path_, 100);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE((*f)->is_stderr());
  std::string line(80, 'y');
  line += "\n";
  (*f)->Write(line.data(), line.size());
  (*f)->Write(line.data(), line.size());  // Rotates; stderr follows.
  ::dprintf(STDERR_FILENO, "from a library\n");
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  EXPECT_NE(FileText(path_).find("from a library"), std::string::npos);
  EXPECT_EQ(FileText(path_ + ".1").find("from a library"), std::string::npos);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
