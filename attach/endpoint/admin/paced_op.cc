#include "attach/endpoint/admin/paced_op.h"

#include "attach/endpoint/api/stream_client.h"

namespace attach {
namespace endpoint {
namespace admin {

void PacedOp::Start(std::shared_ptr<http::ResponseStream> out) {
  out_ = std::move(out);
  uv_idle_init(loop_, idle_.get());
  idle_.MarkInitialized();
  idle_->data = this;
  std::weak_ptr<int> alive = alive_;
  out_->OnDrain(api::kLowMark, [this, alive] {
    if (!alive.expired()) Wake();
  });
  out_->OnClose([this, alive](const base::Status&) {
    if (!alive.expired()) Finish();
  });
  Wake();
}

bool PacedOp::has_room() const {
  return out_ && out_->open() && out_->queued() <= api::kLowMark;
}

void PacedOp::Wake() {
  if (finished_ || !idle_.initialized()) return;
  uv_idle_start(idle_.get(), &PacedOp::OnIdle);
}

void PacedOp::OnIdle(uv_idle_t* h) noexcept {
  static_cast<PacedOp*>(h->data)->Turn();
}

void PacedOp::Turn() {
  if (finished_) return;
  if (!out_->open()) return Finish();
  if (!has_room()) {
    // Above the low mark: OnDrain wakes us when the client has read.
    uv_idle_stop(idle_.get());
    return;
  }
  Produce();
}

void PacedOp::Finish() {
  if (finished_) return;
  finished_ = true;
  if (idle_.initialized()) uv_idle_stop(idle_.get());
  idle_.Close();
  if (out_) out_->End();
  Done();
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
