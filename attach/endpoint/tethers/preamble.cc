#include "attach/endpoint/tethers/preamble.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace attach {
namespace endpoint {
namespace {

constexpr uint64_t kResendMs = 200;
// After a peek that showed only a possible start of the banner, look again
// this much later rather than spinning on a readable socket; twice as late
// each time nothing more came, up to kResendMs (a real client sends its
// banner at once; a peer that sent "S" and stopped is not worth 100
// wake-ups a second until its deadline).
constexpr uint64_t kHoldRetryMs = 10;
constexpr size_t kPeekBytes = 4096;

// Length of the longest proper prefix of "SSH-" that ends `data`.
size_t PossibleBannerStart(const char* data, size_t n) {
  static const char kBanner[] = "SSH-";
  for (size_t k = 3; k > 0; --k) {
    if (n >= k && std::memcmp(data + n - k, kBanner, k) == 0) return k;
  }
  return 0;
}

}  // namespace

Preamble::Preamble(uv_loop_t* loop, base::UniqueFd fd, std::string peer,
                   uint64_t nonce, uint64_t deadline_ms, DoneCallback done)
    : loop_(loop),
      fd_(std::move(fd)),
      peer_(std::move(peer)),
      line_(SyncLine(nonce)),
      waiter_(line_),
      deadline_ms_(deadline_ms),
      done_(std::move(done)),
      hold_ms_(kHoldRetryMs) {}

base::Status Preamble::Start() {
  int rc = uv_poll_init(loop_, poll_.get(), fd_.get());
  if (rc != 0) return base::UvError("uv_poll_init", rc);
  poll_.MarkInitialized();
  poll_->data = this;
  uv_timer_init(loop_, timer_.get());
  timer_.MarkInitialized();
  timer_->data = this;
  rc = uv_poll_start(poll_.get(), UV_READABLE, &Preamble::OnPoll);
  if (rc != 0) return base::UvError("uv_poll_start", rc);
  reading_ = true;
  started_ms_ = uv_now(loop_);
  SendLine();
  if (!finished_) {
    uv_timer_start(timer_.get(), &Preamble::OnTimer, kResendMs, kResendMs);
  }
  return base::Status::Ok();
}

void Preamble::OnPoll(uv_poll_t* h, int status, int /*events*/) noexcept {
  Preamble* self = static_cast<Preamble*>(h->data);
  if (status < 0) {
    self->Finish(base::UvError("sync preamble: poll", status));
    return;
  }
  self->Read();
}

void Preamble::OnTimer(uv_timer_t* h) noexcept {
  Preamble* self = static_cast<Preamble*>(h->data);
  if (uv_now(self->loop_) - self->started_ms_ >= self->deadline_ms_) {
    self->Finish(base::Status::Unavailable(
        "sync preamble: not done within " +
        std::to_string(self->deadline_ms_) + " ms"));
    return;
  }
  if (!self->reading_) {
    // Back from a hold: watch the socket again and look at what is there.
    self->reading_ = true;
    uv_poll_start(self->poll_.get(), UV_READABLE, &Preamble::OnPoll);
    uv_timer_start(self->timer_.get(), &Preamble::OnTimer, kResendMs,
                   kResendMs);
    self->Read();
    return;
  }
  // Read what arrived first: an echo already in the buffer means the
  // tether has started SSH, and another sync line would reach its SSH
  // client as the server's banner.
  self->Read();
  if (!self->finished_ && !self->EchoSeen()) self->SendLine();
}

bool Preamble::EchoSeen() const {
  // SyncEchoWaiter does not say whether it has seen the echo, but a copy
  // fed "SSH-" completes exactly when it has.
  SyncEchoWaiter probe = waiter_;
  base::Result<std::optional<std::string>> r = probe.Feed("SSH-");
  return r.ok() && r->has_value();
}

void Preamble::SendLine() {
  ssize_t n = ::send(fd_.get(), line_.data(), line_.size(),
                     MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n < 0 && errno != EAGAIN && errno != EINTR) {
    Finish(base::Status::Io("sync preamble: send", errno));
  }
  // A full socket buffer just skips this round: the peer is not reading.
}

void Preamble::Read() {
  if (finished_) return;
  char buf[kPeekBytes];
  ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return;
    Finish(base::Status::Io("sync preamble: read", errno));
    return;
  }
  if (n == 0) {
    Finish(base::Status::Unavailable("peer closed during the sync preamble"));
    return;
  }
  size_t have = static_cast<size_t>(n);
  size_t take = have - PossibleBannerStart(buf, have);
  if (take == 0) {
    // Only "S", "SS" or "SSH" so far. Consuming them could split the
    // banner, and leaving them makes the socket readable forever: pause.
    reading_ = false;
    uv_poll_stop(poll_.get());
    uv_timer_start(timer_.get(), &Preamble::OnTimer, hold_ms_, 0);
    hold_ms_ = std::min(hold_ms_ * 2, kResendMs);
    return;
  }
  hold_ms_ = kHoldRetryMs;
  base::Result<std::optional<std::string>> rest =
      waiter_.Feed(std::string_view(buf, take));
  if (!rest.ok()) {
    Finish(rest.TakeStatus());
    return;
  }
  // The banner, when found, lies within the bytes just fed (nothing fed
  // earlier ended in a possible banner start), so discard what precedes it.
  if (rest->has_value() && (*rest)->size() > take) {
    Finish(base::Status::Internal("sync preamble: banner split"));
    return;
  }
  size_t discard = rest->has_value() ? take - (*rest)->size() : take;
  char scratch[kPeekBytes];
  size_t done = 0;
  while (done < discard) {
    ssize_t r = ::recv(fd_.get(), scratch, discard - done, MSG_DONTWAIT);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      Finish(base::Status::Io("sync preamble: read", r < 0 ? errno : EPIPE));
      return;
    }
    done += static_cast<size_t>(r);
  }
  if (rest->has_value()) Finish(base::Status::Ok());
}

void Preamble::Finish(base::Status s) {
  if (finished_) return;
  finished_ = true;
  uv_timer_stop(timer_.get());
  if (poll_.initialized()) uv_poll_stop(poll_.get());
  done_(this, std::move(s));
}

}  // namespace endpoint
}  // namespace attach
