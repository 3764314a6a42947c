// A tether taken over by a root container sends what it likes (review F1,
// F2, F13): attachd keeps answering its clients, keeps only bounded state
// for it, and can read back every status it wrote.
#include <dirent.h>
#include <gtest/gtest.h>

#include <string>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/containers/tether_reports.h"
#include "attach/endpoint/testing/test_fixture.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;
using testing::AttachdTest;
using testing::RunUntil;
using testing::TestTether;
using testing::WhileLooping;

size_t OpenFds() {
  size_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  while (d != nullptr && ::readdir(d) != nullptr) ++n;
  if (d != nullptr) ::closedir(d);
  return n;
}

pb::Request Inspect(const std::string& id) {
  pb::Request r;
  r.mutable_inspect()->set_ref(id);
  return r;
}

// F1: a Hello of almost a frame of args, then inspect and ps -a: replies,
// not an abort, with the args cut and marked.
TEST_F(AttachdTest, HugeHelloArgsStillGiveAnInspectReply) {
  Container* c = NewContainer("web");
  pb::Hello hello = HelloFor(c, true);
  pb::SessionInfo* s = hello.mutable_sessions(0);
  for (int i = 0; i < 16; ++i) s->add_args(std::string(65000, 'a' + i));
  ASSERT_LT(hello.ByteSizeLong() + 16, kMaxFrameBytes);
  ASSERT_GT(hello.ByteSizeLong(), 1000000u);
  TestTether t(TetherFor(c));
  base::Result<pb::Welcome> w = WhileLooping(&loop_, [&] {
    base::Status st = t.Connect();
    if (!st.ok()) return base::Result<pb::Welcome>(st);
    return t.Hello(hello);
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  std::vector<pb::Response> r = Run(Inspect(c->id()));
  ASSERT_EQ(r.size(), 1u);
  ASSERT_TRUE(r[0].has_status()) << r[0].error();
  EXPECT_LE(r[0].ByteSizeLong(), kMaxFrameBytes);
  const SessionRecord* rec = c->status().Find("main");
  ASSERT_NE(rec, nullptr);
  EXPECT_EQ(rec->args.back(), kCutMark);
  pb::Request list;
  list.mutable_list()->set_all(true);
  EXPECT_GE(Run(list).size(), 2u);
}

// F1, client side: a command line near a frame's size, created and then
// listed and inspected, never aborts attachd.
TEST_F(AttachdTest, LongCommandLineFitsInspect) {
  ContainerRecord r;
  r.name = "long";
  r.args = {"sh", "-c", std::string(600 * 1024, 'x')};
  r.endpoint = "tcp:127.0.0.1:" + std::to_string(daemon_->port());
  base::Result<Container*> c = daemon_->registry().Create(r);
  ASSERT_TRUE(c.ok());
  (*c)->ResetForStart();  // Copies the args into the primary's record.
  std::vector<pb::Response> got = Run(Inspect((*c)->id()));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].has_status()) << got[0].error();
  EXPECT_LE(got[0].ByteSizeLong(), kMaxFrameBytes);
}

// F2: 20,000 reports on sessions attachd never heard of make no files, no
// descriptors and no records: the first drops the connection.
TEST_F(AttachdTest, ReportsOnUnknownSessionsDropTheLink) {
  Container* c = NewContainer("web");
  std::unique_ptr<TestTether> t = ConnectTether(c);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return c->link() != nullptr; }));
  size_t fds = OpenFds();
  base::Status sent = WhileLooping(&loop_, [&] {
    for (int i = 0; i < 20000; ++i) {
      pb::Envelope env;
      env.mutable_session_exited()->set_session_id("s" + std::to_string(i));
      base::Status st = t->SendControl(env);
      if (!st.ok()) return st;  // Dropped: what we wanted.
    }
    return base::Status::Ok();
  });
  (void)sent;
  EXPECT_TRUE(RunUntil(&loop_, [&] { return c->link() == nullptr; }));
  EXPECT_LE(c->status().sessions.size(), 1u);
  EXPECT_LE(OpenFds(), fds + 2);
  base::Result<std::vector<std::string>> logs = ListDir(c->dir() + "/logs");
  ASSERT_TRUE(logs.ok());
  EXPECT_LE(logs->size(), 1u);  // main.log at most.
}

// F2: a Hello naming more sessions than a container may have is refused.
TEST_F(AttachdTest, HelloWithTooManySessionsIsRefused) {
  Container* c = NewContainer("web");
  pb::Hello hello = HelloFor(c, true);
  for (size_t i = 0; i < kMaxNewSessionsPerHello + 1; ++i) {
    pb::SessionInfo* s = hello.add_sessions();
    s->set_id("x" + std::to_string(i));
  }
  TestTether t(TetherFor(c));
  base::Result<pb::Welcome> w = WhileLooping(&loop_, [&] {
    base::Status st = t.Connect();
    if (!st.ok()) return base::Result<pb::Welcome>(st);
    return t.Hello(hello);
  });
  EXPECT_FALSE(w.ok());
  base::Result<std::vector<std::string>> logs = ListDir(c->dir() + "/logs");
  EXPECT_TRUE(!logs.ok() || logs->size() <= 1u);
}

// F13: values DecodeStatus would reject are clamped before they are
// kept, so the state survives a restart of attachd.
TEST_F(AttachdTest, HostileValuesSurviveARestart) {
  Container* c = NewContainer("web");
  const std::string id = c->id();
  pb::Hello hello = HelloFor(c, false);
  pb::SessionInfo* s = hello.mutable_sessions(0);
  s->set_exited(true);
  s->set_pid(-1);
  s->set_signal(99999);
  s->set_exit_code(INT32_MIN);
  s->set_started_at(-5);
  TestTether t(TetherFor(c));
  base::Result<pb::Welcome> w = WhileLooping(&loop_, [&] {
    base::Status st = t.Connect();
    if (!st.ok()) return base::Result<pb::Welcome>(st);
    return t.Hello(hello);
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  t.Close();
  RestartDaemon();
  Container* again = daemon_->registry().FindById(id);
  ASSERT_NE(again, nullptr);
  const SessionRecord* rec = again->status().Find("main");
  ASSERT_NE(rec, nullptr) << "status lost across the restart";
  EXPECT_TRUE(rec->exited);
  EXPECT_EQ(rec->pid, 0);
  EXPECT_EQ(rec->signal, 0);
  EXPECT_EQ(rec->exit_code, -2147483647);
  EXPECT_EQ(again->state(), "exited");
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
