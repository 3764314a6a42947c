// TetherLink's share of the pprof tunnel (docs/protocol.md §7): answer
// pieces wait here until the control channel has room, so a profile of
// any size moves at the endpoint's pace and never trips the control
// queue's bound, which would drop the connection.
#include <utility>

#include "attach/link/link_connection.h"
#include "attach/link/tether_link.h"
#include "base/log.h"

namespace attach {
namespace {

// Pieces are queued while the control channel holds less than this share
// of its bound: room is left for session reports to pass.
constexpr size_t kPprofQueueDivisor = 2;

}  // namespace

void TetherLink::SendPprof(tether::attach::PprofResponse piece) {
  if (phase_ != Phase::kUp) {
    LOG_DEBUG("attach link: dropping a pprof answer: not connected");
    return;
  }
  pprof_out_.emplace_back(conn_gen_, std::move(piece));
  Pump();
}

base::Status TetherLink::FlushPprof() {
  while (!pprof_out_.empty()) {
    if (pprof_out_.front().first != conn_gen_) {
      pprof_out_.pop_front();  // Its connection is gone.
      continue;
    }
    if (phase_ != Phase::kUp || !conn_->control->open() ||
        conn_->control->queued() >
            options_.max_control_queue / kPprofQueueDivisor) {
      return base::Status::Ok();
    }
    tether::attach::Envelope env;
    *env.mutable_pprof_response() = std::move(pprof_out_.front().second);
    pprof_out_.pop_front();
    TETHER_RETURN_IF_ERROR(SendControl(env));
  }
  return base::Status::Ok();
}

}  // namespace attach
