// How one client's output is gathered per loop turn into few, large
// stdcopy frames, without changing a byte of what the client reads.
#include "attach/endpoint/api/output_batch.h"

#include <gtest/gtest.h>
#include <uv.h>

#include <string>
#include <vector>

#include "attach/endpoint/api/stdcopy.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

StreamFormat Framed() { return {/*tty=*/false, true, true, false}; }

class OutputBatchTest : public ::testing::Test {
 protected:
  OutputBatchTest() { uv_loop_init(&loop_); }
  ~OutputBatchTest() override {
    uv_run(&loop_, UV_RUN_DEFAULT);  // Lets closed handles free.
    uv_loop_close(&loop_);
  }
  OutputBatch::Writer Collect() {
    return [this](std::string bytes) { writes_.push_back(std::move(bytes)); };
  }
  // Runs one turn of the loop: its idle phase flushes the batch.
  void Turn() { uv_run(&loop_, UV_RUN_NOWAIT); }

  uv_loop_t loop_;
  std::vector<std::string> writes_;
};

TEST_F(OutputBatchTest, PiecesOfOneTurnLeaveAsOneFrame) {
  OutputBatch batch(&loop_, Framed(), Collect());
  ASSERT_TRUE(batch.Add(kStdout, "one ", 0, 0));
  ASSERT_TRUE(batch.Add(kStdout, "two ", 0, 0));
  ASSERT_TRUE(batch.Add(kStdout, "three", 0, 0));
  EXPECT_TRUE(writes_.empty());
  EXPECT_EQ(batch.size(), 8u + 13u);
  Turn();
  ASSERT_EQ(writes_.size(), 1u);
  EXPECT_EQ(writes_[0], StdcopyFrame(kStdout, "one two three"));
  EXPECT_EQ(batch.size(), 0u);
  // The next turn starts a batch of its own.
  ASSERT_TRUE(batch.Add(kStdout, "four", 0, 0));
  Turn();
  ASSERT_EQ(writes_.size(), 2u);
  EXPECT_EQ(writes_[1], StdcopyFrame(kStdout, "four"));
}

TEST_F(OutputBatchTest, AStreamChangeStartsAFrame) {
  OutputBatch batch(&loop_, Framed(), Collect());
  batch.Add(kStdout, "a", 0, 0);
  batch.Add(kStderr, "b", 0, 0);
  batch.Add(kStderr, "c", 0, 0);
  batch.Add(kStdout, "d", 0, 0);
  batch.Flush();
  ASSERT_EQ(writes_.size(), 1u);
  EXPECT_EQ(writes_[0], StdcopyFrame(kStdout, "a") +
                            StdcopyFrame(kStderr, "bc") +
                            StdcopyFrame(kStdout, "d"));
}

TEST_F(OutputBatchTest, FramesStopAtMaxFrameAndBigBatchesGoAtOnce) {
  OutputBatch batch(&loop_, Framed(), Collect());
  std::string piece(100 * 1024, 'x');
  batch.Add(kStdout, piece, 0, 0);
  batch.Add(kStdout, piece, 0, 0);
  EXPECT_TRUE(writes_.empty());
  // A third would make a 300 KiB frame: it opens a second, and the batch
  // is past kBatchFlush, so it is written without waiting for the turn.
  batch.Add(kStdout, piece, 0, 0);
  ASSERT_EQ(writes_.size(), 1u);
  EXPECT_EQ(writes_[0], StdcopyFrame(kStdout, piece + piece) +
                            StdcopyFrame(kStdout, piece));
  EXPECT_EQ(batch.size(), 0u);
}

TEST_F(OutputBatchTest, RefusesWholePiecesPastTheHighMark) {
  OutputBatch batch(&loop_, Framed(), Collect());
  std::string piece(1000, 'x');
  EXPECT_FALSE(batch.Add(kStdout, piece, 0, kHighMark - 500));
  EXPECT_EQ(batch.size(), 0u);
  EXPECT_TRUE(batch.Add(kStdout, piece, 0, kHighMark - 2000));
  // What the batch holds counts toward the mark.
  EXPECT_FALSE(batch.Add(kStdout, piece, 0, kHighMark - 2000));
  Turn();
  ASSERT_EQ(writes_.size(), 1u);
  EXPECT_EQ(writes_[0], StdcopyFrame(kStdout, piece));
}

TEST_F(OutputBatchTest, TtyBytesAndStreamsNotAskedFor) {
  OutputBatch tty(&loop_, {/*tty=*/true, true, true, false}, Collect());
  tty.Add(kStdout, "hi\r\n", 0, 0);
  tty.Add(kStderr, "err\r\n", 0, 0);
  tty.Flush();
  ASSERT_EQ(writes_.size(), 1u);
  EXPECT_EQ(writes_[0], "hi\r\nerr\r\n");
  OutputBatch out_only(&loop_, {false, true, false, false}, Collect());
  EXPECT_TRUE(out_only.Add(kStderr, "hidden", 0, 0));
  EXPECT_EQ(out_only.size(), 0u);
}

TEST_F(OutputBatchTest, NoticeComesAfterWhatIsGathered) {
  OutputBatch batch(&loop_, Framed(), Collect());
  batch.Add(kStdout, "out", 0, 0);
  batch.Notice("exec failed");
  ASSERT_EQ(writes_.size(), 2u);
  EXPECT_EQ(writes_[0], StdcopyFrame(kStdout, "out"));
  EXPECT_EQ(writes_[1], StdcopyFrame(kStderr, "exec failed\n"));
}

TEST_F(OutputBatchTest, TimestampsStillStartEachLine) {
  StreamFormat f = Framed();
  f.timestamps = true;
  OutputBatch batch(&loop_, f, Collect());
  int64_t t = 1714566896500000000;  // 2024-05-01T12:34:56.5Z
  batch.Add(kStdout, "a\n", t, 0);
  batch.Add(kStdout, "b", t, 0);
  batch.Add(kStdout, "c\n", t, 0);
  batch.Flush();
  ASSERT_EQ(writes_.size(), 1u);
  EXPECT_EQ(writes_[0], StdcopyFrame(kStdout,
                                     "2024-05-01T12:34:56.500000000Z a\n"
                                     "2024-05-01T12:34:56.500000000Z bc\n"));
}

TEST(OutputBatch, WithoutALoopEveryPieceGoesAtOnce) {
  std::vector<std::string> writes;
  OutputBatch batch(nullptr, Framed(),
                    [&](std::string b) { writes.push_back(std::move(b)); });
  batch.Add(kStdout, "x", 0, 0);
  batch.Add(kStdout, "y", 0, 0);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[1], StdcopyFrame(kStdout, "y"));
}

}  // namespace
}  // namespace api
}  // namespace endpoint
}  // namespace attach
