#include "attach/endpoint/api/attach_op.h"

#include <utility>

namespace attach {
namespace endpoint {
namespace api {

AttachOp::AttachOp(uv_loop_t* loop,
                   std::shared_ptr<http::HijackedStream> stream,
                   AttachOpOptions options)
    : stream_(std::move(stream)),
      options_(std::move(options)),
      batch_(loop, options_.format, [this](std::string bytes) {
        if (stream_->open()) stream_->Write(std::move(bytes));
      }) {}

AttachOp::~AttachOp() {
  if (attachment_) attachment_->Detach();
}

void AttachOp::Start(Container* c, Session* session) {
  attachment_ = std::make_unique<Attachment>(this, c, session, options_.attach);
  std::weak_ptr<int> alive = alive_;
  http::HijackedStream::Callbacks cb;
  cb.on_data = [this, alive](std::string_view data) {
    if (!alive.expired() && !finished_) attachment_->Input(data);
  };
  cb.on_read_eof = [this, alive] {
    if (!alive.expired() && !finished_) OnInputEnd();
  };
  cb.on_close = [this, alive](const base::Status&) {
    if (!alive.expired()) Finish();
  };
  stream_->OnDrain(kLowMark, [this, alive] {
    if (!alive.expired() && !finished_) attachment_->Pump();
  });
  stream_->Start(std::move(cb));
}

bool AttachOp::SendOutput(uint8_t stream, std::string_view data,
                          int64_t time_ns) {
  if (!open()) return false;
  return batch_.Add(stream, data, time_ns, stream_->queued());
}

void AttachOp::Fail(const std::string& why) {
  if (open()) batch_.Notice(why);
  Finish();
}

void AttachOp::OnEnded(int, const std::string& error) {
  if (!error.empty() && open()) batch_.Notice(error);
  Finish();
}

void AttachOp::OnInputEnd() {
  if (!options_.attach.stdin) return;
  if (options_.close_stdin_on_eof) {
    attachment_->CloseInput();
    return;
  }
  // The client's input is over, and with it this attach; the session
  // goes on.
  Finish();
}

void AttachOp::Finish() {
  if (finished_) return;
  finished_ = true;
  if (attachment_) attachment_->Detach();
  batch_.Flush();  // Every byte taken goes out before the close.
  stream_->Close();
  Done();
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
