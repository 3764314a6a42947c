// Issue 13: session logs close their descriptors when more are open than
// LogFdCache allows, and reopen on the next append or read. Nothing may
// be lost or reordered, rotation must go on exactly as with the file
// open, and a reader following the log must not notice.
#include "attach/endpoint/containers/log_fd_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/containers/session_log.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

using testing::TempDir;

// Every data byte of `log` from its first kept record; counts the gaps.
std::string Data(SessionLog* log, int* gaps) {
  std::string out;
  LogCursor cursor(log, LogPos());
  LogChunk chunk;
  for (;;) {
    base::Result<bool> more = cursor.Next(log->size(), &chunk);
    if (!more.ok() || !*more) break;
    if (chunk.header.type == RecordType::kData) out += chunk.data;
    if (chunk.header.type == RecordType::kGap) ++*gaps;
  }
  return out;
}

std::unique_ptr<SessionLog> OpenLog(const std::string& path,
                                    const LogOptions& options) {
  base::Result<std::unique_ptr<SessionLog>> log =
      SessionLog::Open(path, options);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(*log) : nullptr;
}

size_t OpenCount(const std::vector<std::unique_ptr<SessionLog>>& logs) {
  size_t n = 0;
  for (const auto& l : logs) n += l->file_open() ? 1 : 0;
  return n;
}

// Five logs written in turn through a cache of two: at most two hold a
// descriptor, each append reopens its log where it left off, and every
// log reads back (and recovers from disk) exactly what was written, in
// order, across rotations.
TEST(LogFdCache, ClosedLogsReopenAndLoseNothing) {
  TempDir dir;
  LogOptions options;
  options.max_size = 4096;  // Rotates every few appends.
  options.max_files = 64;   // Keeps every segment, to compare all.
  options.fds = std::make_shared<LogFdCache>(2);
  std::vector<std::unique_ptr<SessionLog>> logs;
  std::vector<std::string> want(5);
  for (int i = 0; i < 5; ++i) {
    logs.push_back(
        OpenLog(dir.path() + "/log" + std::to_string(i) + ".log", options));
    ASSERT_NE(logs.back(), nullptr);
    EXPECT_LE(options.fds->open(), 2u);
  }
  for (int round = 0; round < 60; ++round) {
    for (int i = 0; i < 5; ++i) {
      std::string line = "log " + std::to_string(i) + " line " +
                         std::to_string(round) + std::string(300, '.') + "\n";
      uint8_t stream = round % 3 == 0 ? kStderr : kStdout;
      ASSERT_TRUE(
          logs[i]->AppendData(stream, line.data(), line.size(), round).ok());
      want[i] += line;
      EXPECT_TRUE(logs[i]->file_open());
      EXPECT_LE(OpenCount(logs), 2u);
    }
  }
  EXPECT_GT(options.fds->evictions(), 250u);
  for (int i = 0; i < 5; ++i) {
    int gaps = 0;
    EXPECT_EQ(Data(logs[i].get(), &gaps), want[i]) << "log " << i;
    EXPECT_EQ(gaps, 0);
    EXPECT_LE(options.fds->open(), 2u);
    // What recovery after a crash finds on disk is the same.
    uint64_t size = logs[i]->size();
    StreamEnds ends = logs[i]->ends();
    std::string path = logs[i]->path();
    logs[i].reset();
    LogOptions plain = options;
    plain.fds = nullptr;
    std::unique_ptr<SessionLog> again = OpenLog(path, plain);
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->size(), size);
    EXPECT_EQ(again->ends().out, ends.out);
    EXPECT_EQ(again->ends().err, ends.err);
    EXPECT_EQ(Data(again.get(), &gaps), want[i]);
  }
  EXPECT_EQ(options.fds->open(), 0u);  // Destroyed logs leave the cache.
}

// A follower (`logs -f`, an attached client) reads on while its log is
// closed under it and reopened by the next append, and across a rotation
// made while it was closed.
TEST(LogFdCache, FollowerReadsAcrossCloseAndReopen) {
  TempDir dir;
  LogOptions options;
  options.max_size = 2048;
  options.max_files = 64;
  options.fds = std::make_shared<LogFdCache>(1);
  std::unique_ptr<SessionLog> log = OpenLog(dir.path() + "/a.log", options);
  std::unique_ptr<SessionLog> other = OpenLog(dir.path() + "/b.log", options);
  ASSERT_NE(log, nullptr);
  ASSERT_NE(other, nullptr);
  LogCursor follower(log.get(), LogPos());
  std::string want, got;
  auto drain = [&] {
    LogChunk chunk;
    for (;;) {
      base::Result<bool> more = follower.Next(log->size(), &chunk);
      ASSERT_TRUE(more.ok()) << more.status().ToString();
      if (!*more) break;
      // Data, and the segment records that start rotated files.
      ASSERT_NE(chunk.header.type, RecordType::kGap);
      if (chunk.header.type == RecordType::kData) got += chunk.data;
    }
  };
  for (int i = 0; i < 40; ++i) {
    std::string line = "line " + std::to_string(i) + std::string(200, '-');
    ASSERT_TRUE(log->AppendData(kStdout, line.data(), line.size(), i).ok());
    want += line;
    if (i % 3 == 0) drain();
    // Another log's write closes this one (a cache of one).
    ASSERT_TRUE(other->AppendData(kStdout, "x", 1, i).ok());
    EXPECT_FALSE(log->file_open());
    // An idle close too, as Container::MaintainLogs does.
    if (i % 5 == 0) other->CloseFile();
  }
  drain();
  EXPECT_EQ(got, want);
}

// Out of descriptors, a log scanning or opening its file has the cache
// close the least recently used others and tries again, instead of
// failing: a new session must start on a full descriptor table.
TEST(LogFdCache, OutOfDescriptorsShedsOtherLogs) {
  TempDir dir;
  LogOptions options;
  options.fds = std::make_shared<LogFdCache>(1000);
  std::vector<std::unique_ptr<SessionLog>> logs;
  struct rlimit old;
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &old), 0);
  // Room for exactly four more descriptors: the limit is one past the
  // fourth free number, whatever holes the process has below it.
  const size_t free_slots = 4;
  int fd = 0;
  for (size_t found = 0;; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1 && ++found == free_slots) break;
  }
  struct rlimit low = old;
  low.rlim_cur = static_cast<rlim_t>(fd + 1);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  for (int i = 0; i < 12; ++i) {
    std::string path = dir.path() + "/log" + std::to_string(i) + ".log";
    base::Result<std::unique_ptr<SessionLog>> log =
        SessionLog::Open(path, options);
    if (!log.ok()) {
      ADD_FAILURE() << "log " << i << ": " << log.status().ToString();
      break;
    }
    logs.push_back(std::move(*log));
    std::string line = "hello " + std::to_string(i);
    EXPECT_TRUE(
        logs.back()->AppendData(kStdout, line.data(), line.size(), 1).ok());
  }
  // Each log reopens on demand (shedding others again).
  for (size_t i = 0; i < logs.size(); ++i) {
    int gaps = 0;
    EXPECT_EQ(Data(logs[i].get(), &gaps), "hello " + std::to_string(i));
  }
  EXPECT_EQ(logs.size(), 12u);
  EXPECT_LE(options.fds->open(), free_slots);
  EXPECT_GT(options.fds->evictions(), 0u);
  logs.clear();
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &old), 0);
}

// A log closed with appends the log tick has not synced yet is synced
// on a clean stop all the same.
TEST(LogFdCache, SyncOfAClosedDirtyLog) {
  TempDir dir;
  LogOptions options;
  options.fds = std::make_shared<LogFdCache>(1);
  std::unique_ptr<SessionLog> a = OpenLog(dir.path() + "/a.log", options);
  std::unique_ptr<SessionLog> b = OpenLog(dir.path() + "/b.log", options);
  ASSERT_TRUE(a->AppendData(kStdout, "a", 1, 1).ok());
  ASSERT_TRUE(b->AppendData(kStdout, "b", 1, 1).ok());
  EXPECT_FALSE(a->file_open());
  EXPECT_TRUE(a->Sync().ok());
  EXPECT_TRUE(a->TakeDirty());
  a->CloseFile();
  EXPECT_TRUE(a->Sync().ok());  // Nothing to sync: not reopened.
  EXPECT_FALSE(a->file_open());
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
