// What attachd keeps of a tether's reports (review F1, F2, F13).
#include "attach/endpoint/containers/tether_reports.h"

#include <gtest/gtest.h>

#include <climits>

#include "attach/frame.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

TEST(TetherReports, ArgsAreCutAndMarked) {
  std::vector<std::string> kept =
      KeptArgs({"sh", "-c", std::string(10000, 'x'), "tail"});
  size_t total = 0;
  for (const std::string& a : kept) total += a.size();
  EXPECT_LE(total, kMaxKeptArgsBytes + sizeof(kCutMark));
  EXPECT_EQ(kept.back(), kCutMark);
  EXPECT_EQ(kept[0], "sh");
  std::vector<std::string> small = {"a", "b"};
  EXPECT_EQ(KeptArgs(small), small);
}

// F13: every clamped value reads back.
TEST(TetherReports, ClampedValuesRoundTripThroughTheStatusFile) {
  pb::SessionInfo info;
  info.set_id("main");
  info.set_exited(true);
  info.set_pid(-1);
  info.set_signal(-3);
  info.set_exit_code(INT32_MIN);
  info.set_started_at(-1);
  info.set_finished_at(INT64_MIN);
  StatusRecord status;
  RecordHello(info, false, &status.Get("main"));
  pb::ExecFailed failed;
  failed.set_session_id("e1");
  failed.set_exit_code(INT32_MIN);
  failed.set_message(std::string(100000, 'm'));
  RecordExecFailed(failed, 5, &status.Get("e1"));
  base::Result<StatusRecord> back = DecodeStatus(EncodeStatus(status));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->sessions.size(), 2u);
  EXPECT_EQ(back->sessions[0].pid, 0);
  EXPECT_EQ(back->sessions[1].error.size(), kMaxKeptErrorBytes);
}

// A hostile guest's NUL bytes must not make the status file unreadable.
TEST(TetherReports, NulBytesFromTheGuestAreReplaced) {
  pb::ExecFailed failed;
  failed.set_session_id("e1");
  failed.set_message(std::string("bad\0news", 8));
  StatusRecord status;
  RecordExecFailed(failed, 5, &status.Get("e1"));
  pb::SessionInfo info;
  info.set_id("main");
  info.add_args(std::string("sh\0", 3));
  RecordHello(info, false, &status.Get("main"));
  base::Result<StatusRecord> back = DecodeStatus(EncodeStatus(status));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->Find("e1")->error, "bad\xEF\xBF\xBDnews");
  EXPECT_EQ(back->Find("main")->args[0], "sh\xEF\xBF\xBD");
  EXPECT_EQ(KeptText(std::string(2000, '\0'), 10).size(), 10u);
  // An argument of NULs too long to keep whole: cut as any other.
  std::vector<std::string> kept =
      KeptArgs({"a", std::string(2 * kMaxKeptArgsBytes, '\0')});
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[1].size(), kMaxKeptArgsBytes - 1);
  EXPECT_EQ(kept[1].substr(0, 3), "\xEF\xBF\xBD");
  EXPECT_EQ(kept[2], kCutMark);
}

// F2: ended records beyond the newest kMaxEndedRecords go, oldest first,
// unless a reader keeps them.
TEST(TetherReports, PruneKeepsTheNewestEnded) {
  StatusRecord status;
  status.Get("main").exited = true;
  for (int i = 0; i < 100; ++i) {
    SessionRecord& r = status.Get("e" + std::to_string(i));
    r.exited = true;
    r.finished_at = i;
  }
  std::vector<std::string> gone =
      PruneEnded(&status, [](const std::string& id) { return id == "e0"; });
  EXPECT_EQ(gone.size(), 100 - kMaxEndedRecords - 1);
  EXPECT_NE(status.Find("main"), nullptr);
  EXPECT_NE(status.Find("e0"), nullptr);  // Kept: read.
  EXPECT_EQ(status.Find("e1"), nullptr);
  EXPECT_NE(status.Find("e99"), nullptr);
}

TEST(TetherReports, HelloSessionCaps) {
  StatusRecord status;
  pb::Hello hello;
  for (size_t i = 0; i < kMaxNewSessionsPerHello; ++i) {
    hello.add_sessions()->set_id("s" + std::to_string(i));
  }
  EXPECT_TRUE(CheckHelloSessions(hello, status).ok());
  hello.add_sessions()->set_id("one-more");
  EXPECT_FALSE(CheckHelloSessions(hello, status).ok());
  pb::Hello twice;
  twice.add_sessions()->set_id("a");
  twice.add_sessions()->set_id("a");
  EXPECT_FALSE(CheckHelloSessions(twice, status).ok());
}

// F1: whatever the records hold, the status fits a client frame.
TEST(TetherReports, FitStatusFitsAFrame) {
  pb::ContainerStatus st;
  for (int i = 0; i < 20; ++i) st.add_args(std::string(60000, 'a'));
  for (int i = 0; i < 200; ++i) {
    pb::SessionStatus* s = st.add_sessions();
    s->set_id("e" + std::to_string(i));
    s->set_exited(true);
    s->set_error(std::string(1000, 'e'));
    for (int j = 0; j < 4; ++j) s->add_args(std::string(1000, 'b'));
  }
  ASSERT_GT(st.ByteSizeLong(), kMaxFrameBytes);
  FitStatus(&st, kMaxFrameBytes - 1024);
  EXPECT_LE(st.ByteSizeLong(), kMaxFrameBytes - 1024);
  EXPECT_GT(st.sessions_size(), 0);
}

// F1: a pprof piece as large as the tether's frame cannot become a reply
// larger than a client's.
TEST(TetherReports, OversizedPprofPieceIsRefused) {
  pb::PprofResponse piece;
  piece.set_body(std::string(kMaxFrameBytes - 8, 'p'));
  EXPECT_FALSE(PprofPieceResponse(piece).ok());
  piece.set_body("small");
  EXPECT_TRUE(PprofPieceResponse(piece).ok());
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
