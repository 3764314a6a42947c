#include "attach/docker/container_text.h"

#include <gtest/gtest.h>

#include "attach/docker/time_format.h"

namespace attach {
namespace docker {
namespace {

using tether::attach::ContainerStatus;

constexpr int64_t kNow = 1714566896;  // Seconds.
constexpr int64_t kNowNs = kNow * kNanosPerSecond;

ContainerStatus Make(const std::string& state, int64_t created_ago) {
  ContainerStatus c;
  c.set_id(std::string(64, 'a'));
  c.set_name("x");
  c.add_args("top");
  c.set_created_at(kNow - created_ago);
  c.set_state(state);
  return c;
}

TEST(DockerCommand, QuotesArgumentsWithSpacesOnly) {
  EXPECT_EQ(DockerCommand({"sh", "-c", "echo hi"}), "sh -c 'echo hi'");
  EXPECT_EQ(DockerCommand({"/bin/my tool", "a\tb"}), "/bin/my tool a\tb");
  EXPECT_EQ(DockerCommand({"top"}), "top");
  EXPECT_EQ(DockerCommand({}), "");
}

TEST(StatusText, FollowsDockerStateString) {
  ContainerStatus c = Make("running", 600);
  c.set_started_at(kNow - 3);
  EXPECT_EQ(StatusText(c, kNowNs), "Up 3 seconds");
  c.set_started_at(kNow - 7200);
  EXPECT_EQ(StatusText(c, kNowNs), "Up 2 hours");

  ContainerStatus e = Make("exited", 600);
  e.set_started_at(kNow - 500);
  e.set_finished_at(kNow - 120);
  e.set_exit_code(137);
  EXPECT_EQ(StatusText(e, kNowNs), "Exited (137) 2 minutes ago");
  e.set_finished_at(kNow - 60);
  e.set_exit_code(0);
  EXPECT_EQ(StatusText(e, kNowNs), "Exited (0) About a minute ago");

  ContainerStatus n = Make("created", 5);
  EXPECT_EQ(StatusText(n, kNowNs), "Created");
  EXPECT_EQ(CreatedText(n, kNowNs), "5 seconds ago");
}

}  // namespace
}  // namespace docker
}  // namespace attach
