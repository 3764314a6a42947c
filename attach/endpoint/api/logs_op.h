// One request for a session's logs as the body of a streamed answer: the
// log, then with follow the live output. The Docker API's
// GET /containers/X/logs (stdcopy frames or raw bytes) and the admin
// portal's plain-text logs are both this op with another StreamFormat.
//
// Paced by the client: the feed reads more of the log only while the
// answer's queue is below kLowMark, and output that would take it past
// kHighMark waits in the log, so a log of any size streams in bounded
// memory.
//
// Loop thread only; owned by an OpSet.
#ifndef TETHER_ATTACH_ENDPOINT_API_LOGS_OP_H_
#define TETHER_ATTACH_ENDPOINT_API_LOGS_OP_H_

#include <memory>
#include <string>
#include <string_view>

#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/api/output_batch.h"
#include "attach/endpoint/api/stream_client.h"
#include "attach/endpoint/commands/logs_feed.h"
#include "http/response_stream.h"

namespace attach {
namespace endpoint {
namespace api {

class LogsOp : public Op, public LogsClient {
 public:
  // Output is gathered per turn of `loop` (output_batch.h).
  LogsOp(uv_loop_t* loop, StreamFormat format);
  ~LogsOp() override = default;

  // Streams `feed` (made with this op as its client) into `out`.
  void Start(std::shared_ptr<http::ResponseStream> out,
             std::unique_ptr<LogsFeed> feed);

  void Cancel() override { Finish(); }
  bool open() const override { return !finished_ && out_ && out_->open(); }
  // Without the batch: the drain callback watches the queue alone, and
  // a feed that stopped while that was at or below the mark would wait for
  // a drain that never comes. A batch is bounded by kBatchFlush anyway.
  bool below_low_mark() const override { return out_->queued() <= kLowMark; }
  bool SendOutput(uint8_t stream, std::string_view data,
                  int64_t time_ns) override;
  void Fail(const std::string& why) override;
  void OnLogsEnd() override { Finish(); }
  void OnGone(const std::string&) override { Finish(); }

 private:
  // Ends the answer. The feed stays until the op is destroyed (a later
  // turn): Finish is called from inside the feed's own calls.
  void Finish();

  std::shared_ptr<http::ResponseStream> out_;
  OutputBatch batch_;
  std::unique_ptr<LogsFeed> feed_;
  bool finished_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_LOGS_OP_H_
