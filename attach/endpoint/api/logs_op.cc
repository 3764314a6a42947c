#include "attach/endpoint/api/logs_op.h"

#include <utility>

namespace attach {
namespace endpoint {
namespace api {

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
  if (out_->queued() + data.size() > kHighMark) return false;
  std::string bytes = encoder_.Encode(stream, data, time_ns);
  if (!bytes.empty()) out_->Write(std::move(bytes));
  return true;
}

void LogsOp::Fail(const std::string& why) {
  if (open()) out_->Write(encoder_.Notice(why));
  Finish();
}

void LogsOp::Finish() {
  if (finished_) return;
  finished_ = true;
  if (out_) out_->End();
  Done();
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
