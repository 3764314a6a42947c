#include "attach/endpoint/clients/client_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "base/log.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

// Refused clients' log lines a minute.
constexpr int kRefusalLinesPerMinute = 20;

// Whether something accepts connections on the socket at `path`.
bool SomeoneListens(const std::string& path) {
  sockaddr_un addr = {};
  if (path.size() >= sizeof(addr.sun_path)) return false;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  base::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return fd && ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr),
                         sizeof(addr)) == 0;
}

}  // namespace

ClientServer::ClientServer(uv_loop_t* loop, SocketCommands* commands,
                           size_t max_queue, uint64_t stall_ms)
    : loop_(loop),
      commands_(commands),
      max_queue_(max_queue),
      stall_ms_(stall_ms),
      refusals_(loop, kRefusalLinesPerMinute),
      graveyard_(loop) {}

ClientServer::~ClientServer() { Stop(); }

base::Status ClientServer::Listen(const std::string& path) {
  if (SomeoneListens(path)) {
    return base::Status::Unavailable("attachd is already running on " + path);
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return base::Status::Io("remove stale " + path, errno);
  }
  int rc = uv_pipe_init(loop_, listener_.get(), 0);
  if (rc != 0) return base::UvError("uv_pipe_init", rc);
  listener_.MarkInitialized();
  listener_->data = this;
  // Bound under a umask, so the socket is never open to others, not even
  // between bind and chmod (review F12). Bound under a name of its own and
  // renamed once it listens: whoever waits for `path` to appear (scripts,
  // unit files, tests) can connect at once instead of meeting
  // ECONNREFUSED between bind and listen.
  const std::string bound = path + ".new";
  constexpr size_t kMaxBound = sizeof(sockaddr_un{}.sun_path) - 1;  // NUL
  if (bound.size() > kMaxBound) {
    return base::Status::InvalidArgument(
        path + ": too long for a Unix socket path (at most " +
        std::to_string(kMaxBound - (bound.size() - path.size())) +
        " bytes; use a shorter --state-dir)");
  }
  if (::unlink(bound.c_str()) != 0 && errno != ENOENT) {
    return base::Status::Io("remove stale " + bound, errno);
  }
  mode_t old_mask = ::umask(0177);
  rc = uv_pipe_bind(listener_.get(), bound.c_str());
  ::umask(old_mask);
  if (rc != 0) return base::UvError("bind " + bound, rc);
  // From here a failure takes the half-made socket file with it.
  auto undo = [&bound](base::Status st) {
    ::unlink(bound.c_str());
    return st;
  };
  if (::chmod(bound.c_str(), 0600) != 0) {
    return undo(base::Status::Io("chmod " + bound, errno));
  }
  rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), 128,
                 &ClientServer::OnConnection);
  if (rc != 0) return undo(base::UvError("listen on " + bound, rc));
  if (::rename(bound.c_str(), path.c_str()) != 0) {
    return undo(base::Status::Io("rename " + bound + " to " + path, errno));
  }
  path_ = path;
  uv_timer_init(loop_, sweep_.get());
  sweep_.MarkInitialized();
  sweep_->data = this;
  uint64_t period = stall_ms_ / 2 < 1000 ? stall_ms_ / 2 + 1 : 1000;
  uv_timer_start(sweep_.get(), &ClientServer::OnSweep, period, period);
  return base::Status::Ok();
}

void ClientServer::Stop() {
  sweep_.Close();
  if (listener_.initialized()) {
    listener_.Close();
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  std::vector<ClientConn*> all;
  for (auto& [raw, conn] : conns_) all.push_back(raw);
  for (ClientConn* c : all) c->Drop("attachd is stopping");
}

void ClientServer::OnConnection(uv_stream_t* server, int status) noexcept {
  ClientServer* self = static_cast<ClientServer*>(server->data);
  if (status < 0) {
    LOG_ERROR("client socket: %s", uv_strerror(status));
    return;
  }
  auto conn = std::make_unique<ClientConn>(
      self->loop_, self->max_queue_,
      [self](ClientConn* c, const ::tether::attach::Request& req) {
        self->commands_->Dispatch(c, req);
      },
      [self](ClientConn* c) { self->OnClosed(c); });
  ClientConn* raw = conn.get();
  self->conns_[raw] = std::move(conn);
  base::Status s = raw->Accept(server);
  if (!s.ok()) {
    raw->Drop(s.ToString());
    return;
  }
  if (self->PeerAllowed(raw)) raw->Start();
}

bool ClientServer::PeerAllowed(ClientConn* conn) {
  struct ucred cred = {};
  socklen_t len = sizeof(cred);
  if (::getsockopt(conn->fd(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    conn->Drop(std::string("client credentials: ") + std::strerror(errno));
    return false;
  }
  const uid_t me = ::geteuid();
  bool allowed = cred.uid == me || cred.uid == 0 ||
                 std::find(allowed_uids_.begin(), allowed_uids_.end(),
                           cred.uid) != allowed_uids_.end();
  if (allowed) {
    if (cred.uid == me) {
      LOG_DEBUG("client: uid %u pid %d", static_cast<unsigned>(cred.uid),
                static_cast<int>(cred.pid));
    } else {
      LOG_INFO("client: uid %u pid %d (not attachd's uid %u)",
               static_cast<unsigned>(cred.uid), static_cast<int>(cred.pid),
               static_cast<unsigned>(me));
    }
    return true;
  }
  std::string note;
  if (refusals_.Take(&note)) {
    LOG_WARN(
        "client refused: uid %u pid %d is neither attachd's user (uid "
        "%u) nor root, and --client-uid does not name it%s",
        static_cast<unsigned>(cred.uid), static_cast<int>(cred.pid),
        static_cast<unsigned>(me), note.c_str());
  }
  conn->FailWith("attachd does not serve uid " + std::to_string(cred.uid) +
                 " (attachd --client-uid)");
  return false;
}

void ClientServer::OnSweep(uv_timer_t* h) noexcept {
  ClientServer* self = static_cast<ClientServer*>(h->data);
  uint64_t now = uv_now(self->loop_);
  std::vector<ClientConn*> stalled;
  for (auto& [raw, conn] : self->conns_) {
    if (raw->Stalled(now, self->stall_ms_)) stalled.push_back(raw);
  }
  for (ClientConn* c : stalled) {
    c->Drop("client does not read its output (" + std::to_string(c->queued()) +
            " bytes queued, none written for " +
            std::to_string(self->stall_ms_) + " ms)");
  }
}

void ClientServer::OnClosed(ClientConn* conn) {
  graveyard_.Retire(&conns_, conn);
}

}  // namespace endpoint
}  // namespace attach
