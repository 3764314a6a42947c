// -p as the docker CLI reads it, and docker's image sizes.
#include "attach/ctl/publish_flag.h"

#include <gtest/gtest.h>

#include "attach/ctl/image_table.h"

namespace attach {
namespace ctl {
namespace {

std::string Show(const std::string& spec) {
  base::Result<std::vector<tether::attach::PortBinding>> r = ParsePublish(spec);
  if (!r.ok()) return "error: " + r.status().message();
  std::string out;
  for (const auto& b : *r) {
    if (!out.empty()) out += " ";
    out += b.host_ip() + "|" + std::to_string(b.host_port()) + "|" +
           std::to_string(b.container_port()) + "/" + b.proto();
  }
  return out;
}

TEST(ParsePublish, DockerForms) {
  EXPECT_EQ(Show("80"), "|0|80/tcp");
  EXPECT_EQ(Show("8080:80"), "|8080|80/tcp");
  EXPECT_EQ(Show("127.0.0.1:8080:80/udp"), "127.0.0.1|8080|80/udp");
  EXPECT_EQ(Show("127.0.0.1::80"), "127.0.0.1|0|80/tcp");
  EXPECT_EQ(Show("8000-8001:80-81"), "|8000|80/tcp |8001|81/tcp");
  EXPECT_EQ(Show("[::1]:8080:80"), "::1|8080|80/tcp");
}

TEST(ParsePublish, RefusesWhatDockerRefuses) {
  EXPECT_EQ(Show("x"), "error: Invalid containerPort: x");
  EXPECT_EQ(Show("0"), "error: Invalid containerPort: 0");
  EXPECT_EQ(Show("99999:80"), "error: Invalid hostPort: 99999");
  EXPECT_EQ(Show("80/icmp"), "error: Invalid proto: icmp");
  EXPECT_EQ(Show("8000-8002:80-81").rfind("error: Invalid ranges", 0), 0u);
}

TEST(HumanSize, GoUnits) {
  EXPECT_EQ(HumanSize(123), "123B");
  EXPECT_EQ(HumanSize(4096), "4.1kB");
  EXPECT_EQ(HumanSize(1240000), "1.24MB");
  EXPECT_EQ(HumanSize(1073741824), "1.07GB");
}

}  // namespace
}  // namespace ctl
}  // namespace attach
