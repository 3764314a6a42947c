// OutputFeed and rotation: a reader that falls more than the pin limit
// behind is told what it lost, with the line a gap record gives, before
// the output that follows (logs, logs -f); nothing is said otherwise.
#include "attach/endpoint/commands/output_feed.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/containers/session.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

using testing::TempDir;

// Takes nothing until opened, then everything.
class Sink : public OutputSink {
 public:
  bool taking = false;
  std::string out;
  bool open() const override { return true; }
  bool below_low_mark() const override { return taking; }
  bool SendOutput(uint8_t stream, std::string_view data, int64_t) override {
    if (!taking) return false;
    if (stream == kStdout) out.append(data.data(), data.size());
    return true;
  }
  void Fail(const std::string& why) override { ADD_FAILURE() << why; }
};

std::unique_ptr<Session> NewSession(const std::string& dir) {
  LogOptions o;
  o.max_size = 16 * 1024;
  o.max_files = 2;
  o.max_pinned_bytes = 64 * 1024;
  base::Result<std::unique_ptr<SessionLog>> log =
      SessionLog::Open(dir + "/main.log", o);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return std::make_unique<Session>("main", std::move(*log));
}

// Writes 400 lines of about 400 bytes; returns them.
std::string Flood(Session* s) {
  std::string all;
  for (int i = 0; i < 400; ++i) {
    std::string line = "line " + std::to_string(i) + std::string(400, '.');
    line += "\n";
    EXPECT_TRUE(s->AppendOutput(kStdout, line.data(), line.size(), i).ok());
    all += line;
  }
  return all;
}

TEST(OutputFeed, AReaderPastThePinLimitGetsAGapNotice) {
  TempDir dir;
  std::unique_ptr<Session> s = NewSession(dir.path());
  Sink sink;
  OutputFeed::Options o;
  o.gap_notices = true;
  OutputFeed feed(&sink, s.get(), LogPos{s->log().begin(), 0}, o);
  std::string all = Flood(s.get());
  sink.taking = true;
  feed.Pump();
  // The notice first, then the rest from where the loss ends.
  ASSERT_EQ(sink.out.rfind("[attachd: ", 0), 0u) << sink.out.substr(0, 80);
  size_t eol = sink.out.find('\n');
  std::string notice = sink.out.substr(0, eol + 1);
  std::string rest = sink.out.substr(eol + 1);
  ASSERT_LT(rest.size(), all.size());
  uint64_t lost = all.size() - rest.size();
  EXPECT_EQ(notice, GapNotice(0, lost));
  EXPECT_EQ(rest, all.substr(lost));
  feed.Stop();
}

TEST(OutputFeed, WithoutGapNoticesTheLossIsSilentAsForAGapRecord) {
  TempDir dir;
  std::unique_ptr<Session> s = NewSession(dir.path());
  Sink sink;
  OutputFeed feed(&sink, s.get(), LogPos{s->log().begin(), 0},
                  OutputFeed::Options());
  std::string all = Flood(s.get());
  sink.taking = true;
  feed.Pump();
  ASSERT_LT(sink.out.size(), all.size());
  EXPECT_EQ(sink.out, all.substr(all.size() - sink.out.size()));
  feed.Stop();
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
