// A streamed answer produced piece by piece at the client's pace: a log
// file, the security lines of attachd's log, the log bundle.
//
// Each loop turn the op produces one bounded piece (Produce) while the
// answer's queue is at or below kLowMark; above it the op sleeps until the
// queue drains. So disk reads and compression never hold the loop for
// more than one piece, a slow client costs at most kHighMark of memory,
// and a fast one is fed as fast as the loop turns.
//
// Loop thread only; owned by an api::OpSet (destroyed on a later turn).
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_PACED_OP_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_PACED_OP_H_

#include <uv.h>

#include <memory>

#include "attach/endpoint/api/op_set.h"
#include "base/uv_handle.h"
#include "http/response_stream.h"

namespace attach {
namespace endpoint {
namespace admin {

// What one Produce call may read or write, about.
constexpr size_t kPieceBytes = 256 * 1024;

class PacedOp : public api::Op {
 public:
  explicit PacedOp(uv_loop_t* loop) : loop_(loop) {}
  ~PacedOp() override = default;

  // Starts producing into `out` (its head is sent).
  void Start(std::shared_ptr<http::ResponseStream> out);
  void Cancel() override { Finish(); }

 protected:
  // Writes at most about kPieceBytes to out(), or calls Finish() when all
  // is written. Not called after Finish.
  virtual void Produce() = 0;
  // Whether the answer's queue can take another piece now.
  bool has_room() const;
  http::ResponseStream& out() { return *out_; }
  bool finished() const { return finished_; }
  uv_loop_t* loop() const { return loop_; }
  // Ends the answer (the body is complete, or the client is gone) and
  // retires the op. Idempotent.
  void Finish();

 private:
  static void OnIdle(uv_idle_t* h) noexcept;
  void Turn();
  void Wake();

  uv_loop_t* loop_;
  std::shared_ptr<http::ResponseStream> out_;
  base::UvHandle<uv_idle_t> idle_;
  bool finished_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_PACED_OP_H_
