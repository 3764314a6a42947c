// TetherLink's connection lifecycle: dial, sync preamble, SSH, and the
// drop-and-redial path every failure takes. The protocol on top of a ready
// SSH session is in link_streams.cc.
#include "attach/link/tether_link.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <utility>

#include "attach/link/link_connection.h"
#include "base/log.h"

namespace attach {

TetherLink::TetherLink(uv_loop_t* loop,
                       const guestinfo::EndpointConfig& endpoint,
                       std::string container_id, LinkDelegate* delegate,
                       LinkOptions options)
    : loop_(loop),
      endpoint_(endpoint),
      container_id_(std::move(container_id)),
      delegate_(delegate),
      options_(options),
      backoff_(options.backoff, uv_hrtime()) {}

TetherLink::~TetherLink() { Close(); }

base::Status TetherLink::Start() {
  if (phase_ != Phase::kIdle) {
    return base::Status::Internal("attach link: Start() called twice");
  }
  TETHER_ASSIGN_OR_RETURN(address_, ParseEndpointAddress(endpoint_.address));
  for (auto* timer : {&tick_timer_, &retry_timer_, &repump_timer_}) {
    int rc = uv_timer_init(loop_, timer->get());
    if (rc != 0) return base::UvError("attach link: uv_timer_init", rc);
    timer->MarkInitialized();
    (*timer)->data = this;
  }
  int rc = uv_timer_start(tick_timer_.get(), &TetherLink::OnTickTimer,
                          options_.tick_ms, options_.tick_ms);
  if (rc != 0) return base::UvError("attach link: uv_timer_start", rc);
  Dial();
  return base::Status::Ok();
}

void TetherLink::Close() {
  if (phase_ == Phase::kClosed) return;
  if (conn_ && conn_->ssh) conn_->ssh->Disconnect("tether closing the link");
  Teardown();
  phase_ = Phase::kClosed;
  tick_timer_.Close();
  retry_timer_.Close();
  repump_timer_.Close();
  serial_fd_.Reset();
}

void TetherLink::SetPhase(Phase phase) {
  phase_ = phase;
  phase_start_ms_ = uv_now(loop_);
}

void TetherLink::Dial() {
  // A fresh Connection per attempt: nothing of a failed one survives but
  // the serial fd, the sessions' acked offsets and the backoff.
  conn_ = std::make_unique<Connection>();
  SetPhase(Phase::kDialing);
  if (address_.kind == Address::Kind::kSerial) {
    if (!serial_fd_.valid()) {
      base::Result<base::UniqueFd> fd = OpenSerial(address_.path);
      if (!fd.ok()) return Drop(fd.TakeStatus());
      serial_fd_ = std::move(*fd);
    }
    // The device stays open; a disconnected host side is only waited out.
    if (!SerialHostConnected(serial_fd_.get())) {
      return Drop(base::Status::Unavailable(
          address_.path +
          ": the host side of the serial port is not connected"));
    }
    conn_->fd = serial_fd_.get();
    conn_->is_socket = false;
    return StartSync();
  }
  conn_->dialer = std::make_unique<Dialer>(loop_, address_);
  base::Status s = conn_->dialer->Start(
      [this](base::Result<base::UniqueFd> fd) { OnDialed(std::move(fd)); });
  if (!s.ok()) Drop(std::move(s));
}

void TetherLink::OnDialed(base::Result<base::UniqueFd> fd) {
  if (!fd.ok()) return Drop(fd.TakeStatus());
  conn_->dialer.reset();  // Allowed inside its callback.
  conn_->socket = std::move(*fd);
  conn_->fd = conn_->socket.get();
  conn_->is_socket = true;
  if (address_.kind == Address::Kind::kTcp) {
    // Keystrokes and control frames are small; SSH packets are already
    // whole, so Nagle only adds latency.
    int one = 1;
    (void)::setsockopt(conn_->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  StartSync();
}

void TetherLink::StartSync() {
  SetPhase(Phase::kSync);
  conn_->sync =
      std::make_unique<SyncResponder>(loop_, conn_->fd, conn_->is_socket);
  base::Status s = conn_->sync->Start(
      [this](base::Result<std::string> rest) { OnSynced(std::move(rest)); });
  if (!s.ok()) Drop(std::move(s));
}

void TetherLink::OnSynced(base::Result<std::string> rest) {
  if (!rest.ok()) return Drop(rest.TakeStatus());
  conn_->sync.reset();  // Allowed inside its callback.
  SetPhase(Phase::kSsh);
  SshIdentity identity{container_id_, endpoint_.identity_key,
                       endpoint_.host_key_sha256};
  conn_->ssh = std::make_unique<SshClient>(
      loop_, conn_->fd, conn_->is_socket, std::move(*rest), std::move(identity),
      options_.ssh, static_cast<SshClient::Delegate*>(this));
  base::Status s = conn_->ssh->Start();
  if (!s.ok()) Drop(std::move(s));
}

void TetherLink::OnSshReady() {
  // Authenticated: only now may anything of the container's be sent.
  conn_->control =
      std::make_unique<SshChannel>(conn_->ssh.get(), "tether-control");
}

void TetherLink::OnSshActivity() { Pump(); }

void TetherLink::OnSshError(base::Status status) { Drop(std::move(status)); }

void TetherLink::Teardown() {
  // Channels first: they belong to the session inside conn_.
  if (conn_ && conn_->ssh) conn_->ssh->Abort();
  for (auto& entry : sessions_) {
    entry.second.channel.reset();
    entry.second.exit_sent = false;
    entry.second.exit_in_hello = false;
  }
  conn_.reset();
  ++conn_gen_;
}

void TetherLink::Drop(base::Status status) {
  if (phase_ == Phase::kClosed || phase_ == Phase::kWaiting) return;
  bool was_up = phase_ == Phase::kUp;
  Teardown();
  SetPhase(Phase::kWaiting);
  uint64_t delay = backoff_.NextDelayMs();
  LogDrop(status, delay);
  last_error_ = std::move(status);
  uv_timer_start(retry_timer_.get(), &TetherLink::OnRetryTimer, delay, 0);
  if (was_up) delegate_->OnConnected(false);
}

void TetherLink::LogDrop(const base::Status& status, uint64_t delay_ms) {
  // An endpoint that stays away would otherwise fill the console every
  // 5 s: the same message is repeated at most once a minute.
  uint64_t now = uv_now(loop_);
  std::string msg = status.ToString();
  bool repeat = msg == last_logged_ && now - last_logged_ms_ < 60000;
  // Dial errors already start with the address; others get it here.
  std::string where =
      msg.rfind(address_.text, 0) == 0 ? "" : " " + address_.text;
  const char* fmt = "attach link%s: %s; redialing in %llu ms";
  auto delay = static_cast<unsigned long long>(delay_ms);
  if (repeat) {
    LOG_DEBUG(fmt, where.c_str(), msg.c_str(), delay);
    return;
  }
  last_logged_ = msg;
  last_logged_ms_ = now;
  // Refusals are configuration problems someone must fix; the rest heals.
  if (status.code() == base::Status::Code::kPermissionDenied ||
      status.code() == base::Status::Code::kInvalidArgument) {
    LOG_ERROR(fmt, where.c_str(), msg.c_str(), delay);
  } else {
    LOG_WARN(fmt, where.c_str(), msg.c_str(), delay);
  }
}

// One timer watches every phase: a dial or preamble that hangs (a
// blackholed address, an endpoint that never sends TETHER-SYNC), an SSH
// setup or Welcome that never comes, and keepalive silence once up.
void TetherLink::OnTick() {
  uint64_t in_phase = uv_now(loop_) - phase_start_ms_;
  bool late = in_phase > options_.connect_timeout_ms;
  std::string limit = std::to_string(options_.connect_timeout_ms) + " ms";
  switch (phase_) {
    case Phase::kDialing:
      if (late)
        Drop(base::Status::Unavailable(address_.text +
                                       ": connect timed out after " + limit));
      return;
    case Phase::kSync:
      if (late)
        Drop(base::Status::Unavailable(
            "sync preamble: no TETHER-SYNC line within " + limit));
      return;
    case Phase::kSsh:
    case Phase::kHello:
    case Phase::kUp: {
      base::Status s = conn_->ssh->Tick();
      if (!s.ok()) return Drop(std::move(s));
      if (late && phase_ == Phase::kSsh) {
        return Drop(base::Status::Unavailable(
            "ssh: session not set up within " + limit));
      }
      if (late && phase_ == Phase::kHello) {
        return Drop(base::Status::Unavailable(
            "protocol: no Welcome from the endpoint within " + limit));
      }
      return;
    }
    case Phase::kIdle:
    case Phase::kWaiting:
    case Phase::kClosed:
      return;
  }
}

void TetherLink::OnTickTimer(uv_timer_t* t) noexcept {
  static_cast<TetherLink*>(t->data)->OnTick();
}

void TetherLink::OnRetryTimer(uv_timer_t* t) noexcept {
  static_cast<TetherLink*>(t->data)->Dial();
}

void TetherLink::OnRepumpTimer(uv_timer_t* t) noexcept {
  static_cast<TetherLink*>(t->data)->Pump();
}

}  // namespace attach
