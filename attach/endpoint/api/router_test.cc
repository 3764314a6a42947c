// Routes as dockerd's router matches them, with and without a version.
#include "attach/endpoint/api/router.h"

#include <gtest/gtest.h>

namespace attach {
namespace endpoint {
namespace api {
namespace {

TEST(Router, MatchesVersionedAndPlainPaths) {
  base::Result<RouteMatch> m = MatchRoute("GET", "/v1.41/containers/json");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kContainerList);
  EXPECT_EQ(m->version, "1.41");
  m = MatchRoute("GET", "/containers/json");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kContainerList);
  EXPECT_EQ(m->version, "");
  m = MatchRoute("HEAD", "/_ping");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kPing);
  // docker-py 7 asks for 1.44 only after negotiating down from _ping;
  // older clients send anything from 1.12.
  EXPECT_TRUE(MatchRoute("GET", "/v1.24/version").ok());
}

TEST(Router, TakesParametersPercentDecoded) {
  base::Result<RouteMatch> m =
      MatchRoute("POST", "/v1.41/containers/web%2D1/kill");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kContainerKill);
  ASSERT_EQ(m->params.size(), 1u);
  EXPECT_EQ(m->params[0], "web-1");
  m = MatchRoute("DELETE", "/v1.41/containers/abc");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kContainerRemove);
  EXPECT_EQ(m->params[0], "abc");
}

TEST(Router, ImageNamesMayHoldSlashes) {
  base::Result<RouteMatch> m =
      MatchRoute("GET", "/v1.41/images/docker.io/library/busybox:latest/json");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kImageInspect);
  EXPECT_EQ(m->params[0], "docker.io/library/busybox:latest");
  m = MatchRoute("DELETE", "/images/me/app");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kImageRemove);
  EXPECT_EQ(m->params[0], "me/app");
  m = MatchRoute("GET", "/images/json");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->id, RouteId::kImageList);
}

TEST(Router, UnknownIsPageNotFound) {
  for (auto [method, path] : std::vector<std::pair<const char*, const char*>>{
           {"GET", "/nope"},
           {"GET", "/v1.41/containers/x/nope"},
           {"PUT", "/containers/json"},  // Known path, other method.
           {"GET", "/containers/json/"},
           {"GET", "/containers//json"},
           {"GET", ""},
           {"GET", "relative"},
           {"GET", "/images//json"}}) {
    base::Result<RouteMatch> m = MatchRoute(method, path);
    ASSERT_FALSE(m.ok()) << method << " " << path;
    EXPECT_EQ(m.status().code(), base::Status::Code::kNotFound);
    EXPECT_EQ(m.status().message(), "page not found");
  }
}

TEST(Router, RefusesVersionsAsDockerdDoes) {
  base::Result<RouteMatch> m = MatchRoute("GET", "/v1.42/version");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            "client version 1.42 is too new. Maximum supported API version "
            "is 1.41");
  m = MatchRoute("GET", "/v1.11/version");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), base::Status::Code::kInvalidArgument);
  EXPECT_NE(m.status().message().find("is too old"), std::string::npos);
}

TEST(Router, ComparesVersionsNumerically) {
  EXPECT_LT(CompareVersions("1.9", "1.41"), 0);
  EXPECT_GT(CompareVersions("1.41", "1.9"), 0);
  EXPECT_EQ(CompareVersions("1.41", "1.41"), 0);
  EXPECT_EQ(CompareVersions("1.41.0", "1.41"), 0);
  EXPECT_GT(CompareVersions("2", "1.99"), 0);
}

TEST(Router, BadEscapeInAParameterIsAnError) {
  base::Result<RouteMatch> m = MatchRoute("GET", "/containers/%zz/json");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), base::Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace api
}  // namespace endpoint
}  // namespace attach
