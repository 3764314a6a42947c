#include "attach/endpoint/api/logs_op.h"

#include <utility>

namespace attach {
namespace endpoint {
namespace api {

LogsOp::LogsOp(uv_loop_t* loop, StreamFormat format)
    : batch_(loop, format, [this](std::string bytes) {
        if (out_ && out_->open()) out_->Write(std::move(bytes));
      }) {}

void LogsOp::Start(std::shared_ptr<http::ResponseStream> out,
                   std::unique_ptr<LogsFeed> feed) {
  out_ = std::move(out);
  feed_ = std::move(feed);
  std::weak_ptr<int> alive = alive_;
  out_->OnDrain(kLowMark, [this, alive] {
    if (!alive.expired() && !finished_) feed_->Pump();
  });
  out_->OnClose([this, alive](const base::Status&) {
    if (!alive.expired()) Finish();
  });
  feed_->Start();
}

bool LogsOp::SendOutput(uint8_t stream, std::string_view data,
                        int64_t time_ns) {
  if (!open()) return false;
  return batch_.Add(stream, data, time_ns, out_->queued());
}

void LogsOp::Fail(const std::string& why) {
  if (open()) batch_.Notice(why);
  Finish();
}

void LogsOp::Finish() {
  if (finished_) return;
  finished_ = true;
  batch_.Flush();  // Every byte taken goes out before the end.
  if (out_) out_->End();
  Done();
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
