// Status writes are batched (upkeep.h): a burst of changes to a container
// within status_delay_ms makes one write, one write per container is under
// way at a time, a change made during a write is written again after it,
// and FlushStatus waits for the write that holds the status as it is.
#include "attach/endpoint/containers/upkeep.h"

#include <gtest/gtest.h>
#include <uv.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <string>

#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/testing/test_util.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

using testing::RunUntil;
using testing::TempDir;

class UpkeepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uv_loop_init(&loop_);
    UpkeepOptions o;
    o.status_delay_ms = 50;
    registry_ = std::make_unique<Registry>(dir_.path());
    upkeep_ = std::make_unique<Upkeep>(&loop_, registry_.get(), o);
    registry_->set_host(upkeep_.get());
    ASSERT_TRUE(registry_->Load().ok());
    ContainerRecord r;
    r.name = "web";
    r.args = {"/bin/true"};
    r.endpoint = "tcp:127.0.0.1:2377";
    base::Result<Container*> c = registry_->Create(r);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    c_ = *c;
    // Whatever Create wrote is done before a test begins.
    RunFor(150);
    ASSERT_TRUE(RunUntil(&loop_, [&] { return upkeep_->jobs() == 0; }));
  }
  void TearDown() override {
    upkeep_.reset();
    registry_.reset();
    for (int i = 0; i < 10; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  // Runs the loop for `ms`; returns the status writes started meanwhile.
  int RunFor(int ms) {
    uint64_t before = upkeep_->status_writes();
    uv_update_time(&loop_);
    uint64_t end = uv_now(&loop_) + static_cast<uint64_t>(ms);
    RunUntil(
        &loop_,
        [&] {
          uv_update_time(&loop_);
          return uv_now(&loop_) >= end;
        },
        ms + 5000);
    return static_cast<int>(upkeep_->status_writes() - before);
  }

  TempDir dir_;
  uv_loop_t loop_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Upkeep> upkeep_;
  Container* c_ = nullptr;
};

TEST_F(UpkeepTest, ABurstOfChangesMakesOneWrite) {
  for (int i = 0; i < 100; ++i) upkeep_->StatusChanged(c_);
  // Nothing before the delay: the burst is still gathering.
  EXPECT_EQ(upkeep_->jobs(), 0u);
  EXPECT_EQ(RunFor(300), 1);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return upkeep_->jobs() == 0; }));
  EXPECT_EQ(upkeep_->jobs(), 0u);
}

TEST_F(UpkeepTest, FlushStatusWaitsForTheWriteOfTheLatestChange) {
  const uint64_t before = upkeep_->status_writes();
  upkeep_->StatusChanged(c_);
  bool flushed = false;
  upkeep_->FlushStatus(c_, [&] { flushed = true; });
  // Flushing starts the write at once rather than after the delay.
  EXPECT_EQ(upkeep_->status_writes(), before + 1);
  EXPECT_FALSE(flushed);
  // A change while that write is under way: the flush asked for the
  // status as it was, so it is done with the first write; the change is
  // written again, once, after it.
  upkeep_->StatusChanged(c_);
  upkeep_->StatusChanged(c_);
  // One write per container at a time.
  EXPECT_EQ(upkeep_->status_writes(), before + 1);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return flushed; }));
  RunFor(300);
  EXPECT_EQ(upkeep_->status_writes(), before + 2);
  ASSERT_TRUE(RunUntil(&loop_, [&] { return upkeep_->jobs() == 0; }));
  // Nothing changed since: a flush needs no write.
  bool again = false;
  upkeep_->FlushStatus(c_, [&] { again = true; });
  EXPECT_TRUE(again);
  EXPECT_EQ(upkeep_->status_writes(), before + 2);
}

TEST_F(UpkeepTest, LogPathsAreSyncedInBatchesOffTheLoop) {
  // Paths of logs that no longer exist (a container removed since) are
  // no error; each batch is one job.
  for (int i = 0; i < 64; ++i) {
    upkeep_->SubmitPath(dir_.path() + "/gone" + std::to_string(i) + ".log");
  }
  EXPECT_EQ(upkeep_->jobs(), 1u);  // A full batch goes at once.
  ASSERT_TRUE(RunUntil(&loop_, [&] { return upkeep_->jobs() == 0; }));
}

// Counts attachd's "cannot save its status" lines while it lives.
class SaveErrorCount {
 public:
  SaveErrorCount() { base::SetLogSink(&Count, this, false); }
  ~SaveErrorCount() { base::SetLogSink(nullptr, nullptr, false); }
  int errors() const { return errors_; }

 private:
  static void Count(const char* line, size_t len, void* ctx) {
    if (std::string(line, len).find("cannot save its status") !=
        std::string::npos) {
      ++static_cast<SaveErrorCount*>(ctx)->errors_;
    }
  }
  std::atomic<int> errors_{0};
};

// A status write on its way while the container is removed finds its
// directory gone: no error is logged for it, since it is the removal.
TEST_F(UpkeepTest, AWriteRacingRemovalIsNoError) {
  SaveErrorCount count;
  for (int i = 0; i < 40; ++i) {
    ContainerRecord r;
    r.name = "race" + std::to_string(i);
    r.args = {"/bin/true"};
    r.endpoint = "tcp:127.0.0.1:2377";
    base::Result<Container*> c = registry_->Create(r);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    upkeep_->FlushStatus(*c, [] {});
    upkeep_->StatusChanged(*c);
    upkeep_->FlushStatus(*c, [] {});
    ASSERT_TRUE(registry_->Remove(*c).ok());
    ASSERT_TRUE(RunUntil(&loop_, [&] { return upkeep_->jobs() == 0; }));
  }
  EXPECT_EQ(count.errors(), 0);
}

// A tether's Hello names sessions whose logs were scanned off the loop.
// A scan that found no free descriptor is made again on the loop, where
// the log cache can close other logs; any other failed scan is the error.
TEST_F(UpkeepTest, AdoptSessionRescansAScanThatRanOutOfDescriptors) {
  base::Result<LogScan> no_fds = base::Status::Io("open x", EMFILE);
  base::Result<Session*> s = c_->AdoptSession("s1", no_fds);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(c_->FindSession("s1"), *s);
  base::Result<LogScan> broken = base::Status::Io("open y", EIO);
  base::Result<Session*> t = c_->AdoptSession("s2", broken);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().error_number(), EIO);
  EXPECT_EQ(c_->FindSession("s2"), nullptr);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
