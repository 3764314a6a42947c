// One hijacked connection (POST /containers/X/attach, POST /exec/ID/start)
// attached to one session: its output as the client asked (stream_client.h),
// the client's input to the session, and the end: the connection closes
// once every byte of output is written, after an error line when the
// session never ran.
//
// Input end, as dockerd (container/stream/attach.go): with
// `close_stdin_on_eof` (attach with StdinOnce and no tty, every exec
// without a tty) the client's EOF (a TCP FIN or a TLS close_notify)
// closes the session's stdin and output goes on; otherwise it ends this
// client's attach and the session goes on.
//
// Loop thread only. Owned by the OpSet.
#ifndef TETHER_ATTACH_ENDPOINT_API_ATTACH_OP_H_
#define TETHER_ATTACH_ENDPOINT_API_ATTACH_OP_H_

#include <memory>
#include <string>

#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/api/output_batch.h"
#include "attach/endpoint/api/stream_client.h"
#include "attach/endpoint/commands/attachment.h"
#include "http/hijacked_stream.h"

namespace attach {
namespace endpoint {
namespace api {

struct AttachOpOptions {
  StreamFormat format;
  AttachOptions attach;  // stdin, and detach keys (tty only).
  bool close_stdin_on_eof = false;
};

class AttachOp : public Op, public AttachClient {
 public:
  // Output is gathered per turn of `loop` (output_batch.h).
  AttachOp(uv_loop_t* loop, std::shared_ptr<http::HijackedStream> stream,
           AttachOpOptions options);
  ~AttachOp() override;

  // Attaches to `session` of `c` and starts reading the client.
  void Start(Container* c, Session* session);
  Attachment* attachment() { return attachment_.get(); }

  // Op:
  void Cancel() override { Finish(); }

  // AttachClient:
  bool open() const override { return !finished_ && stream_->open(); }
  // Without the batch: the drain callback watches the queue alone, and
  // a feed that stopped while that was at or below the mark would wait for
  // a drain that never comes. A batch is bounded by kBatchFlush anyway.
  bool below_low_mark() const override { return stream_->queued() <= kLowMark; }
  bool SendOutput(uint8_t stream, std::string_view data,
                  int64_t time_ns) override;
  void Fail(const std::string& why) override;
  void PauseInput() override { stream_->PauseReading(); }
  void ResumeInput() override { stream_->ResumeReading(); }
  void OnEnded(int exit_code, const std::string& error) override;
  void OnDetached() override { Finish(); }
  void OnGone(const std::string&) override { Finish(); }

 private:
  void OnInputEnd();
  // Closes the connection once what is queued is out; ends the op.
  void Finish();

  std::shared_ptr<http::HijackedStream> stream_;
  AttachOpOptions options_;
  OutputBatch batch_;
  std::unique_ptr<Attachment> attachment_;
  bool finished_ = false;
  // Callbacks the stream may still hold check this before using `this`.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_ATTACH_OP_H_
