// Session logs: record format, recovery after a crash at any byte, gaps
// and restarts, tail and the cursor clients read with.
#include "base/log.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "attach/endpoint/containers/log_format.h"
#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/containers/session_log.h"
#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

using testing::TempDir;

std::string ReadAll(const std::string& path) {
  base::Result<std::string> s = ReadFile(path, 1 << 30);
  return s.ok() ? *s : "";
}

// The bytes of each stream as the log holds them, from its records.
struct Streams {
  std::string out, err;
  int gaps = 0, restarts = 0;
};
Streams Replay(const std::string& path) {
  Streams s;
  base::Result<std::unique_ptr<SessionLog>> log = SessionLog::Open(path);
  if (!log.ok()) return s;
  LogCursor cursor(log->get(), LogPos());
  LogChunk chunk;
  while (true) {
    base::Result<bool> more = cursor.Next((*log)->size(), &chunk);
    if (!more.ok() || !*more) break;
    if (chunk.header.type == RecordType::kData) {
      (chunk.header.stream == kStderr ? s.err : s.out) += chunk.data;
    } else if (chunk.header.type == RecordType::kGap) {
      ++s.gaps;
    } else {
      ++s.restarts;
    }
  }
  return s;
}

TEST(LogFormat, HeaderRoundTripsAndRejectsDamage) {
  RecordHeader h;
  h.type = RecordType::kData;
  h.stream = kStderr;
  h.length = 1234;
  h.time_ns = 1700000000123456789;
  h.offset = 99;
  char buf[kRecordHeaderBytes];
  EncodeRecordHeader(h, buf);
  base::Result<RecordHeader> back = DecodeRecordHeader(buf);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->stream, kStderr);
  EXPECT_EQ(back->length, 1234u);
  EXPECT_EQ(back->time_ns, h.time_ns);
  EXPECT_EQ(back->offset, 99u);
  for (size_t i = 0; i < kRecordHeaderBytes; ++i) {
    char bad[kRecordHeaderBytes];
    std::memcpy(bad, buf, sizeof(bad));
    bad[i] ^= 0x40;
    EXPECT_FALSE(DecodeRecordHeader(bad).ok()) << "flipped byte " << i;
  }
}

TEST(SessionLog, AppendsAndReopensWithExactEnds) {
  TempDir dir;
  std::string path = dir.path() + "/main.log";
  {
    auto log = SessionLog::Open(path);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_TRUE((*log)->AppendData(kStdout, "hello ", 6, 1).ok());
    ASSERT_TRUE((*log)->AppendData(kStderr, "oops\n", 5, 2).ok());
    ASSERT_TRUE((*log)->AppendData(kStdout, "world\n", 6, 3).ok());
    EXPECT_EQ((*log)->ends().out, 12u);
    EXPECT_EQ((*log)->ends().err, 5u);
  }
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto log = SessionLog::Open(path);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->ends().out, 12u);
  EXPECT_EQ((*log)->ends().err, 5u);
  Streams s = Replay(path);
  EXPECT_EQ(s.out, "hello world\n");
  EXPECT_EQ(s.err, "oops\n");
}

// A SIGKILL can stop a write anywhere: every prefix of the file must
// recover to the last whole record, with ends matching what it holds.
TEST(SessionLog, RecoversFromATornTailAtEveryByte) {
  base::SetLogLevel(base::LogLevel::kError);  // One warning per prefix.
  TempDir dir;
  std::string path = dir.path() + "/main.log";
  uint64_t whole = 0;
  {
    auto log = SessionLog::Open(path);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->AppendData(kStdout, "first", 5, 1).ok());
    ASSERT_TRUE((*log)->AppendGap(kStderr, 7, 2).ok());
    whole = (*log)->size();
    ASSERT_TRUE((*log)->AppendData(kStdout, "second", 6, 3).ok());
  }
  std::string full = ReadAll(path);
  for (size_t keep = 0; keep < full.size(); ++keep) {
    ASSERT_TRUE(WriteFileAtomic(path, full.substr(0, keep), 0600).ok());
    auto log = SessionLog::Open(path);
    ASSERT_TRUE(log.ok()) << keep << ": " << log.status().ToString();
    if (keep >= whole) {
      EXPECT_EQ((*log)->size(), whole) << keep;
      EXPECT_EQ((*log)->ends().out, 5u) << keep;
      EXPECT_EQ((*log)->ends().err, 7u) << keep;
    } else {
      EXPECT_LE((*log)->size(), whole) << keep;
    }
    // Appending after recovery continues the streams exactly.
    ASSERT_TRUE((*log)->AppendData(kStdout, "x", 1, 4).ok());
  }
  base::SetLogLevel(base::LogLevel::kWarning);
}

TEST(SessionLog, GarbageAfterRecordsIsCut) {
  TempDir dir;
  std::string path = dir.path() + "/main.log";
  {
    auto log = SessionLog::Open(path);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->AppendData(kStdout, "kept", 4, 1).ok());
  }
  std::string bytes = ReadAll(path) + std::string(100, '\0') + "junk";
  ASSERT_TRUE(WriteFileAtomic(path, bytes, 0600).ok());
  EXPECT_EQ(Replay(path).out, "kept");
  EXPECT_EQ(ReadAll(path).size(), bytes.size() - 104);
}

TEST(SessionLog, ForeignFileIsMovedAside) {
  TempDir dir;
  std::string path = dir.path() + "/main.log";
  ASSERT_TRUE(WriteFileAtomic(path, "not a log at all", 0600).ok());
  auto log = SessionLog::Open(path);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)->ends().out, 0u);
  EXPECT_EQ(ReadAll(path + ".corrupt"), "not a log at all");
}

TEST(SessionLog, GapsAndRestartsMoveTheEnds) {
  TempDir dir;
  std::string path = dir.path() + "/main.log";
  auto log = SessionLog::Open(path);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->AppendData(kStdout, "ab", 2, 1).ok());
  ASSERT_TRUE((*log)->AppendGap(kStdout, 10, 2).ok());
  ASSERT_TRUE((*log)->AppendGap(kStdout, 5, 2).ok());  // Behind: ignored.
  EXPECT_EQ((*log)->ends().out, 10u);
  ASSERT_TRUE((*log)->AppendData(kStdout, "cd", 2, 3).ok());
  EXPECT_EQ((*log)->ends().out, 12u);
  ASSERT_TRUE((*log)->AppendRestart(4).ok());
  EXPECT_EQ((*log)->ends().out, 0u);
  ASSERT_TRUE((*log)->AppendData(kStdout, "e", 1, 5).ok());
  log->reset();
  auto again = SessionLog::Open(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->ends().out, 1u);
  Streams s = Replay(path);
  EXPECT_EQ(s.out, "abcde");
  EXPECT_EQ(s.gaps, 1);
  EXPECT_EQ(s.restarts, 1);
}

TEST(SessionLog, LargeWritesAreSplitIntoRecords) {
  TempDir dir;
  std::string path = dir.path() + "/main.log";
  std::string big(kMaxRecordPayload * 2 + 17, 'z');
  {
    auto log = SessionLog::Open(path);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE((*log)->AppendData(kStdout, big.data(), big.size(), 1).ok());
  }
  EXPECT_EQ(Replay(path).out, big);
}

class TailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/main.log";
    auto log = SessionLog::Open(path_);
    ASSERT_TRUE(log.ok());
    log_ = std::move(*log);
  }
  void Add(uint8_t stream, const std::string& s) {
    ASSERT_TRUE(log_->AppendData(stream, s.data(), s.size(), 1).ok());
  }
  std::string Tail(uint64_t n) {
    LogView source(log_.get());
    base::Result<LogPos> pos = FindTailStart(&source, n);
    EXPECT_TRUE(pos.ok()) << pos.status().ToString();
    LogCursor cursor(log_.get(), *pos);
    std::string out;
    LogChunk chunk;
    while (*cursor.Next(log_->size(), &chunk)) out += chunk.data;
    return out;
  }
  TempDir dir_;
  std::string path_;
  std::unique_ptr<SessionLog> log_;
};

TEST_F(TailTest, CountsLinesAcrossRecordsAndStreams) {
  Add(kStdout, "one\ntw");
  Add(kStdout, "o\nthree\n");
  Add(kStderr, "four\n");
  Add(kStdout, "five");
  EXPECT_EQ(Tail(0), "");
  EXPECT_EQ(Tail(1), "five");
  EXPECT_EQ(Tail(2), "four\nfive");
  EXPECT_EQ(Tail(3), "three\nfour\nfive");
  EXPECT_EQ(Tail(4), "two\nthree\nfour\nfive");  // Starts mid-record.
  EXPECT_EQ(Tail(100), "one\ntwo\nthree\nfour\nfive");
}

TEST_F(TailTest, TrailingNewlineEndsTheLastLine) {
  Add(kStdout, "a\nb\nc\n");
  EXPECT_EQ(Tail(1), "c\n");
  EXPECT_EQ(Tail(2), "b\nc\n");
}

TEST(SplitOutput, ByLineNeverSpansANewline) {
  std::vector<std::string> pieces;
  SplitOutput("a\nbc\n\nd", true,
              [&](std::string_view p) { pieces.emplace_back(p); });
  EXPECT_EQ(pieces, (std::vector<std::string>{"a\n", "bc\n", "\n", "d"}));
  pieces.clear();
  SplitOutput(std::string(kMaxOutputChunk + 1, 'x'), false,
              [&](std::string_view p) { pieces.emplace_back(p); });
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[1], "x");
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
