#include "attach/endpoint/admin/request_parse.h"

#include <gtest/gtest.h>

#include "attach/endpoint/admin/failure_limiter.h"
#include "attach/endpoint/admin/file_stream.h"
#include "attach/endpoint/admin/session_store.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

TEST(AdminRoute, FixedPages) {
  EXPECT_EQ(ParseRoute("/").page, Page::kDashboard);
  EXPECT_EQ(ParseRoute("/health").page, Page::kHealth);
  EXPECT_EQ(ParseRoute("/logs/bundle.tar.gz").page, Page::kBundle);
  EXPECT_EQ(ParseRoute("/logs/security").page, Page::kSecurityLog);
  EXPECT_EQ(ParseRoute("/health/").page, Page::kNotFound);
  EXPECT_EQ(ParseRoute("").page, Page::kNotFound);
}

TEST(AdminRoute, ContainerPages) {
  Route r = ParseRoute("/containers/web.1_x-y/logs");
  EXPECT_EQ(r.page, Page::kContainerLogs);
  EXPECT_EQ(r.container, "web.1_x-y");
  r = ParseRoute("/containers/0123abcd/console.log");
  EXPECT_EQ(r.page, Page::kConsoleLog);
  EXPECT_EQ(r.container, "0123abcd");
}

TEST(AdminRoute, TraversalAndEscapesGoNowhere) {
  for (const char* p :
       {"/containers/../logs", "/containers/../../etc/passwd",
        "/containers/./logs", "/containers/%2e%2e/logs",
        "/containers/a/../../logs", "/containers/a%2fb/logs",
        "/logs/../attachd.log", "/logs/%2e%2e/api.log", "/logs//api.log",
        "/containers/a/console.log/..", "/containers//logs",
        "/containers/.hidden/logs", "/static/../admin.js",
        "/containers/a/qemu.pid", "//health"}) {
    EXPECT_EQ(ParseRoute(p).page, Page::kNotFound) << p;
  }
  EXPECT_FALSE(IsContainerRef(std::string(129, 'a')));
  EXPECT_TRUE(IsContainerRef(std::string(128, 'a')));
}

TEST(AdminCookie, FindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("a=1; tether_admin=abc; b=2", "tether_admin"), "abc");
  EXPECT_EQ(CookieValue("tether_admin=\"q\"", "tether_admin"), "q");
  EXPECT_EQ(CookieValue("tether_admin_x=1", "tether_admin"), std::nullopt);
  EXPECT_EQ(CookieValue("", "tether_admin"), std::nullopt);
  EXPECT_EQ(CookieValue(";;=;", "tether_admin"), std::nullopt);
  EXPECT_EQ(
      CookieValue("tether_admin=" + std::string(600, 'x'), "tether_admin"),
      std::nullopt);
}

TEST(AdminForm, DecodesThePassword) {
  EXPECT_EQ(*FormField("password=a%20b+c&x=1", "password"), "a b c");
  EXPECT_EQ(*FormField("x=1", "password"), "");
  EXPECT_FALSE(FormField("password=%zz", "password").ok());
}

TEST(AdminPeer, HostOfPeer) {
  EXPECT_EQ(PeerHost("192.0.2.7:51234"), "192.0.2.7");
  EXPECT_EQ(PeerHost("[::1]:40000"), "::1");
  EXPECT_EQ(PeerHost("x"), "x");
}

TEST(FailureLimiter, FiveAMinuteThenWait) {
  FailureLimiter l(5, 60000, 100);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(l.WaitMs("a", 1000 + i), 0u);
    l.RecordFailure("a", 1000 + i);
  }
  EXPECT_EQ(l.WaitMs("a", 2000), 59000u);  // The first leaves at 61000.
  EXPECT_EQ(l.WaitMs("b", 2000), 0u);
  EXPECT_EQ(l.WaitMs("a", 61000), 0u);
  l.Clear("a");
  EXPECT_EQ(l.key_count(), 0u);
}

TEST(FailureLimiter, BoundedKeys) {
  FailureLimiter l(5, 60000, 3);
  for (int i = 0; i < 10; ++i) l.RecordFailure("k" + std::to_string(i), i);
  EXPECT_LE(l.key_count(), 3u);
}

TEST(SessionStore, TokensExpireAndLogOut) {
  SessionStore s(1000, 2);
  base::Result<std::string> t = s.Create(0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->size(), 64u);
  EXPECT_TRUE(s.Valid(*t, 999));
  EXPECT_FALSE(s.Valid(*t, 1000));
  EXPECT_FALSE(s.Valid(*t, 0));  // Forgotten once expired.
  base::Result<std::string> u = s.Create(0);
  s.Remove(*u);
  EXPECT_FALSE(s.Valid(*u, 1));
  EXPECT_FALSE(s.Valid("", 1));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(s.Create(i).ok());
  EXPECT_EQ(s.size(), 2u);
}

TEST(SecurityLines, WhatTheViewShows) {
  EXPECT_TRUE(IsSecurityLine("attachd: warning: security: admin: login"));
  EXPECT_TRUE(
      IsSecurityLine("attachd: warning: tether x: login refused for user"));
  EXPECT_FALSE(IsSecurityLine("attachd: info: listening on"));
}

}  // namespace
}  // namespace admin
}  // namespace endpoint
}  // namespace attach
