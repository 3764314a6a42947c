// Review F9: session logs are capped and rotated like docker's `local`
// driver, read back across segments, recovered without rescanning
// rotated segments, and a status that promises more output than the log
// holds after a crash leaves a gap record, not silence.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/containers/session_log.h"
#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

using testing::TempDir;

// Every data byte of `log` from its first kept record, and the gaps.
std::string Data(SessionLog* log, int* gaps = nullptr) {
  std::string out;
  LogCursor cursor(log, LogPos());
  LogChunk chunk;
  for (;;) {
    base::Result<bool> more = cursor.Next(log->size(), &chunk);
    if (!more.ok() || !*more) break;
    if (chunk.header.type == RecordType::kData) out += chunk.data;
    if (chunk.header.type == RecordType::kGap && gaps != nullptr) ++*gaps;
  }
  return out;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// A reader behind the live output (a slow attached client) pins what it
// has not read: rotation keeps those segments past max_files, and drops
// them once the reader has moved on.
TEST(LogRotation, APinnedReaderLosesNothing) {
  struct Reader : SessionLog::Pin {
    uint64_t from = 0;
    uint64_t needed_from() const override { return from; }
  };
  TempDir dir;
  LogOptions options;
  options.max_size = 16 * 1024;
  options.max_files = 2;
  base::Result<std::unique_ptr<SessionLog>> log =
      SessionLog::Open(dir.path() + "/main.log", options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  Reader reader;
  reader.from = (*log)->begin();
  (*log)->AddPin(&reader);
  std::string all;
  for (int i = 0; i < 200; ++i) {
    std::string line = "line " + std::to_string(i) + std::string(500, '.');
    ASSERT_TRUE((*log)->AppendData(kStdout, line.data(), line.size(), 1).ok());
    all += line;
  }
  EXPECT_EQ(Data(log->get()), all);  // Nothing rotated away.
  EXPECT_GT((*log)->disk_bytes(), 2 * options.max_size);
  // Caught up: what it held goes at once (the container may write no
  // more), and rotation goes back to max_files.
  reader.from = (*log)->size();
  (*log)->DropPastLimit();
  EXPECT_LE((*log)->disk_bytes(), 2 * options.max_size + 4096);
  std::string more(600, 'x');
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE((*log)->AppendData(kStdout, more.data(), more.size(), 1).ok());
  }
  EXPECT_LE((*log)->disk_bytes(), 2 * options.max_size + 4096);
  (*log)->RemovePin(&reader);
}

// A reader that never reads holds no more than max_pinned_bytes.
TEST(LogRotation, APinHoldsAtMostMaxPinnedBytes) {
  struct Stuck : SessionLog::Pin {
    uint64_t needed_from() const override { return 0; }
  } stuck;
  TempDir dir;
  LogOptions options;
  options.max_size = 16 * 1024;
  options.max_files = 2;
  options.max_pinned_bytes = 128 * 1024;
  base::Result<std::unique_ptr<SessionLog>> log =
      SessionLog::Open(dir.path() + "/main.log", options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  (*log)->AddPin(&stuck);
  std::string line(1000, 'y');
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE((*log)->AppendData(kStdout, line.data(), line.size(), 1).ok());
  }
  EXPECT_LE((*log)->disk_bytes(), options.max_pinned_bytes + 2 * 16 * 1024);
  (*log)->RemovePin(&stuck);
}

// A reader that falls more than max_pinned_bytes behind is told exactly
// which offsets of each stream rotation took from it, in order, and what
// it then reads continues right after them: the lost ranges and the rest
// make up all the output, as a kGap record would say.
TEST(LogRotation, AReaderPastThePinLimitHearsWhatItLost) {
  struct Reader : SessionLog::Pin {
    uint64_t from = 0;
    struct Loss {
      uint8_t stream;
      uint64_t from, to;
    };
    std::vector<Loss> lost;
    uint64_t needed_from() const override { return from; }
    void Lost(uint8_t stream, uint64_t a, uint64_t b, int64_t) override {
      lost.push_back({stream, a, b});
    }
  } reader;
  TempDir dir;
  LogOptions options;
  options.max_size = 16 * 1024;
  options.max_files = 2;
  options.max_pinned_bytes = 64 * 1024;
  base::Result<std::unique_ptr<SessionLog>> log =
      SessionLog::Open(dir.path() + "/main.log", options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  reader.from = (*log)->begin();
  (*log)->AddPin(&reader);
  std::string out, err;
  for (int i = 0; i < 400; ++i) {
    std::string line = "line " + std::to_string(i) + std::string(400, '.');
    uint8_t stream = i % 4 == 3 ? kStderr : kStdout;
    ASSERT_TRUE((*log)->AppendData(stream, line.data(), line.size(), i).ok());
    (stream == kStdout ? out : err) += line;
  }
  ASSERT_FALSE(reader.lost.empty());
  // Per stream, the losses run on from offset 0 without a hole.
  uint64_t next[3] = {0, 0, 0};
  for (const Reader::Loss& l : reader.lost) {
    EXPECT_EQ(l.from, next[l.stream]);
    EXPECT_GT(l.to, l.from);
    next[l.stream] = l.to;
  }
  // The reader, moved on to what is kept, reads the rest exactly.
  std::string got_out, got_err;
  LogCursor cursor(log->get(), LogPos{reader.from, 0});
  LogChunk chunk;
  for (;;) {
    base::Result<bool> more = cursor.Next((*log)->size(), &chunk);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    if (chunk.header.type != RecordType::kData) continue;
    (chunk.header.stream == kStdout ? got_out : got_err) += chunk.data;
  }
  EXPECT_EQ(got_out, out.substr(next[kStdout]));
  EXPECT_EQ(got_err, err.substr(next[kStderr]));
  (*log)->RemovePin(&reader);
}

TEST(LogRotation, CapsTheFilesAndKeepsTheNewestOutput) {
  TempDir dir;
  const std::string path = dir.path() + "/main.log";
  LogOptions options;
  options.max_size = 64 * 1024;
  options.max_files = 3;
  base::Result<std::unique_ptr<SessionLog>> log =
      SessionLog::Open(path, options);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  std::string all;
  for (int i = 0; i < 1000; ++i) {
    std::string line =
        "line " + std::to_string(i) + std::string(900, '.') + "\n";
    ASSERT_TRUE((*log)->AppendData(kStdout, line.data(), line.size(), 1).ok());
    all += line;
  }
  EXPECT_EQ((*log)->ends().out, all.size());
  uint64_t disk =
      FileSize(path) + FileSize(path + ".1") + FileSize(path + ".2");
  EXPECT_LE(disk, 3 * options.max_size);
  EXPECT_EQ(FileSize(path + ".3"), 0u);  // Beyond max_files: gone.
  EXPECT_EQ((*log)->disk_bytes(), disk);
  // Readers get a suffix of the output, whole records, in order.
  std::string kept = Data(log->get());
  ASSERT_GT(kept.size(), 2 * options.max_size - 4096);
  EXPECT_EQ(all.substr(all.size() - kept.size()), kept);

  // Reopened (after a crash): the same ends, the same bytes, and only the
  // current segment was scanned to get there.
  StreamEnds ends = (*log)->ends();
  uint64_t begin = (*log)->begin(), size = (*log)->size();
  log->reset();
  base::Result<std::unique_ptr<SessionLog>> again =
      SessionLog::Open(path, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->ends().out, ends.out);
  EXPECT_EQ((*again)->begin(), begin);
  EXPECT_EQ((*again)->size(), size);
  EXPECT_EQ(Data(again->get()), kept);
}

TEST(LogRotation, ContainerQuotaCoversAllSessions) {
  TempDir dir;
  ContainerRecord record;
  record.id = std::string(64, 'a');
  record.name = "q";
  const std::string cdir = dir.path() + "/c";
  ASSERT_TRUE(EnsureDir(cdir, 0700).ok());
  Container c(record, SshKey(), cdir);
  // Without a host the defaults apply: 20 MB * 5 across all sessions.
  std::string chunk(1 << 20, 'x');
  for (int s = 0; s < 8; ++s) {
    base::Result<Session*> session = c.GetSession("e" + std::to_string(s));
    ASSERT_TRUE(session.ok());
    for (int i = 0; i < 15; ++i) {
      ASSERT_TRUE((*session)
                      ->log()
                      .AppendData(kStdout, chunk.data(), chunk.size(), 1)
                      .ok());
    }
  }
  c.EnforceLogQuota();
  LogOptions defaults;
  uint64_t total = 0;
  base::Result<std::vector<std::string>> names = ListDir(cdir + "/logs");
  ASSERT_TRUE(names.ok());
  for (const std::string& n : *names) total += FileSize(cdir + "/logs/" + n);
  EXPECT_LE(total, defaults.max_size * defaults.max_files);
}

// The status is fsync'd, the log is not: after a host crash the log may
// hold less than the status says; the loss becomes a gap record.
TEST(LogRotation, StatusAheadOfTheLogLeavesAGap) {
  TempDir dir;
  ContainerRecord record;
  record.id = std::string(64, 'b');
  record.name = "g";
  const std::string cdir = dir.path() + "/c";
  ASSERT_TRUE(EnsureDir(cdir, 0700).ok());
  StatusRecord status;
  SessionRecord& main = status.Get("main");
  main.primary = true;
  main.exited = true;
  main.stdout_end = 5000;
  main.log_end = 6000;
  ASSERT_TRUE(
      WriteFileAtomic(cdir + "/status", EncodeStatus(status), 0600).ok());
  Container c(record, SshKey(), cdir);
  base::Result<Session*> s = c.GetSession("main");
  ASSERT_TRUE(s.ok());
  int gaps = 0;
  (void)Data(&(*s)->log(), &gaps);
  EXPECT_EQ(gaps, 1);
  EXPECT_EQ((*s)->log().ends().out, 5000u);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
