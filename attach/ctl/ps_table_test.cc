#include "attach/ctl/ps_table.h"

#include <gtest/gtest.h>

#include "attach/ctl/go_text.h"
#include "attach/docker/time_format.h"

namespace attach {
namespace ctl {
namespace {

using docker::kNanosPerSecond;
using tether::attach::ContainerStatus;

constexpr int64_t kNow = 1714566896;  // Seconds.
constexpr int64_t kNowNs = kNow * kNanosPerSecond;

ContainerStatus Make(const std::string& id, const std::string& name,
                     std::vector<std::string> args, int64_t created_ago,
                     const std::string& state) {
  ContainerStatus c;
  c.set_id(id + std::string(64 - id.size(), '0'));
  c.set_name(name);
  for (const std::string& a : args) c.add_args(a);
  c.set_created_at(kNow - created_ago);
  c.set_state(state);
  return c;
}

TEST(Ellipsis, TruncatesToTwentyColumnsLikeDockerPs) {
  EXPECT_EQ(Ellipsis("sh -c 'echo hi'", 20), "sh -c 'echo hi'");
  EXPECT_EQ(Ellipsis("12345678901234567890", 20), "12345678901234567890");
  EXPECT_EQ(Ellipsis("123456789012345678901", 20), "1234567890123456789\u2026");
  EXPECT_EQ(Ellipsis("docker-entrypoint.sh postgres", 20),
            "docker-entrypoint.s\u2026");
  // Wide characters take two columns: 9 of them fill 18 of 19.
  EXPECT_EQ(Ellipsis("\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d"
                     "\u4f60\u597d\u4f60",
                     20),
            "\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u597d\u4f60\u2026");
}

TEST(GoQuote, EscapesLikeStrconvQuote) {
  EXPECT_EQ(GoQuote("sh -c 'echo hi'"), "\"sh -c 'echo hi'\"");
  EXPECT_EQ(GoQuote("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(GoQuote("a\tb\nc\x01\x7f"), "\"a\\tb\\nc\\x01\\x7f\"");
  EXPECT_EQ(GoQuote("caf\u00e9 \u2026"), "\"caf\u00e9 \u2026\"");
  EXPECT_EQ(GoQuote("bad\xff"), "\"bad\\xff\"");
  EXPECT_EQ(GoQuote("\u2028"), "\"\\u2028\"");
}

std::vector<ContainerStatus> ThreeContainers() {
  ContainerStatus web =
      Make("4c01db0b339c", "web", {"sh", "-c", "echo hi"}, 300, "exited");
  web.set_started_at(kNow - 290);
  web.set_finished_at(kNow - 125);
  ContainerStatus db =
      Make("1b2c3d4e5f60", "db", {"/bin/sleep", "3600"}, 3600, "running");
  db.set_started_at(kNow - 3600);
  db.set_image_name("e2e/web:1");
  tether::attach::PortBinding* p = db.add_ports();
  p->set_host_ip("127.0.0.1");
  p->set_host_port(8080);
  p->set_container_port(80);
  p->set_proto("tcp");
  p = db.add_ports();
  p->set_host_port(32768);
  p->set_container_port(53);
  p->set_proto("udp");
  ContainerStatus pg =
      Make("9f86d081884c", "pg",
           {"/usr/local/bin/docker-entrypoint.sh", "postgres"}, 5, "created");
  pg.set_image("sha256:2b5d3c8a1e0f" + std::string(52, '0'));
  // Deliberately oldest first: ps shows the newest first whatever the order.
  return {db, web, pg};
}

TEST(FormatPs, PrintsDockersTable) {
  EXPECT_EQ(FormatPs(ThreeContainers(), PsOptions(), kNowNs),
            "CONTAINER ID   IMAGE          COMMAND                  CREATED    "
            "         STATUS                     PORTS                         "
            "                  NAMES\n"
            "9f86d081884c   2b5d3c8a1e0f   \"/usr/local/bin/dock\u2026\"   5 "
            "seconds ago       Created                                         "
            "                           pg\n"
            "4c01db0b339c   busybox        \"sh -c 'echo hi'\"        5 "
            "minutes ago       Exited (0) 2 minutes ago                        "
            "                           web\n"
            "1b2c3d4e5f60   e2e/web:1      \"/bin/sleep 3600\"        About an "
            "hour ago   Up About an hour           127.0.0.1:8080->80/tcp, "
            "0.0.0.0:32768->53/udp   db\n");
}

TEST(FormatPs, NoTruncKeepsFullIdsAndCommand) {
  std::string out =
      FormatPs(ThreeContainers(), PsOptions{/*no_trunc=*/true}, kNowNs);
  EXPECT_NE(out.find("9f86d081884c" + std::string(52, '0') +
                     "   sha256:2b5d3c8a1e0f" + std::string(52, '0') +
                     "   "
                     "\"/usr/local/bin/docker-entrypoint.sh postgres\""),
            std::string::npos)
      << out;
}

TEST(FormatPs, QuietPrintsIdsOnly) {
  EXPECT_EQ(FormatPs(ThreeContainers(), PsOptions{false, true}, kNowNs),
            "9f86d081884c\n4c01db0b339c\n1b2c3d4e5f60\n");
}

TEST(FormatPs, EmptyListIsTheHeader) {
  EXPECT_EQ(FormatPs({}, PsOptions(), kNowNs),
            "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     "
            "NAMES\n");
}

}  // namespace
}  // namespace ctl
}  // namespace attach
