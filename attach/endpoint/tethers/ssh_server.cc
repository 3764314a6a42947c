#include "attach/endpoint/tethers/ssh_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

// Accepts per wake-up: a burst of reconnecting tethers must not starve the
// ones already streaming.
constexpr int kMaxAcceptsPerWake = 64;
// Out of descriptors, the listener rests this long before it tries again.
constexpr uint64_t kAcceptRetryMs = 500;
// Log lines a minute that peers who have not logged in may cause, of each
// kind (refused logins; failed preambles, handshakes and refusals at a
// cap).
constexpr int kRefusalLinesPerMinute = 20;
constexpr int kStrangerLinesPerMinute = 20;

// The peer's address, without the port (what the caps count by).
std::string PeerAddress(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (ss.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr,
              host, sizeof(host));
    return host;
  }
  inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr,
            host, sizeof(host));
  return std::string("[") + host + "]";
}

std::string PeerName(const sockaddr_storage& ss) {
  uint16_t port =
      ss.ss_family == AF_INET
          ? ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port)
          : ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
  return PeerAddress(ss) + ":" + std::to_string(port);
}

uint64_t RandomNonce() {
  uint64_t n = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&n), sizeof(n)) != 1) {
    n = static_cast<uint64_t>(uv_hrtime());  // Resync needs uniqueness only.
  }
  return n;
}

}  // namespace

SshServer::SshServer(uv_loop_t* loop, Registry* registry, LinkTimings timings)
    : loop_(loop),
      registry_(registry),
      timings_(timings),
      refusals_(loop, kRefusalLinesPerMinute),
      strangers_(loop, kStrangerLinesPerMinute),
      graveyard_(loop) {}

base::Result<std::unique_ptr<SshServer>> SshServer::Create(
    uv_loop_t* loop, Registry* registry, const SshKey& host_key,
    LinkTimings timings) {
  std::unique_ptr<SshServer> s(new SshServer(loop, registry, timings));
  s->bind_ = ssh_bind_new();
  if (s->bind_ == nullptr) return base::Status::Internal("ssh_bind_new failed");
  bool no_config = false;  // /etc/ssh/libssh_server_config is not ours.
  ssh_bind_options_set(s->bind_, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no_config);
  ssh_bind_options_set(s->bind_, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS,
                       "ssh-ed25519");
  // libssh keeps the key it is given; give it its own copy.
  TETHER_ASSIGN_OR_RETURN(std::string text, PrivateKeyText(host_key));
  TETHER_ASSIGN_OR_RETURN(SshKey copy, ParsePrivateKey(text));
  if (ssh_bind_options_set(s->bind_, SSH_BIND_OPTIONS_IMPORT_KEY, copy.get()) !=
      SSH_OK) {
    return base::Status::Internal(std::string("ssh host key: ") +
                                  ssh_get_error(s->bind_));
  }
  (void)copy.release();
  return s;
}

SshServer::~SshServer() {
  Stop();
  if (bind_ != nullptr) ssh_bind_free(bind_);
}

base::Status SshServer::Listen(const std::string& host, uint16_t port) {
  const std::string what = "listen on " + host + ":" + std::to_string(port);
  sockaddr_storage ss = {};
  socklen_t len = 0;
  auto* in = reinterpret_cast<sockaddr_in*>(&ss);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, host.c_str(), &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    len = sizeof(*in);
  } else if (inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    len = sizeof(*in6);
  } else {
    return base::Status::InvalidArgument(what + ": not a numeric address");
  }
  base::UniqueFd fd(
      ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return base::Status::Io(what, errno);
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
      ::listen(fd.get(), 4096) != 0) {
    return base::Status::Io(what, errno);
  }
  socklen_t got = sizeof(ss);
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &got);
  port_ = ntohs(ss.ss_family == AF_INET ? in->sin_port : in6->sin6_port);
  int rc = uv_poll_init(loop_, listen_poll_.get(), fd.get());
  if (rc != 0) return base::UvError(what, rc);
  listen_poll_.MarkInitialized();
  listen_poll_->data = this;
  rc = uv_poll_start(listen_poll_.get(), UV_READABLE, &SshServer::OnAcceptable);
  if (rc != 0) return base::UvError(what, rc);
  rc = uv_timer_init(loop_, accept_retry_.get());
  if (rc != 0) return base::UvError(what, rc);
  accept_retry_.MarkInitialized();
  accept_retry_->data = this;
  listen_fd_ = std::move(fd);
  return base::Status::Ok();
}

void SshServer::Stop() {
  listen_poll_.Close();  // Before the socket: see SshConn::Teardown.
  accept_retry_.Close();
  listen_fd_.Reset();
  for (auto& [p, preamble] : preambles_) graveyard_.Add(std::move(preamble));
  preambles_.clear();
  strangers_by_age_.clear();
  stranger_numbers_.clear();
  unauthenticated_by_ip_.clear();
  unauthenticated_ = 0;
  // Destroying a link tears its SSH session down without callbacks.
  std::map<TetherLink*, std::unique_ptr<TetherLink>> links;
  links.swap(links_);
  links.clear();
}

void SshServer::OnAcceptable(uv_poll_t* h, int status,
                             int /*events*/) noexcept {
  SshServer* self = static_cast<SshServer*>(h->data);
  if (status < 0) {
    LOG_ERROR("tether listener: %s", uv_strerror(status));
    return;
  }
  self->Accept();
}

void SshServer::Accept() {
  for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd = ::accept4(listen_fd_.get(), reinterpret_cast<sockaddr*>(&ss), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
          errno == ENOMEM) {
        PauseAccepting(errno);
      }
      return;  // EAGAIN, or an aborted connection: nothing to do.
    }
    base::UniqueFd conn(fd);
    if (accept_paused_) {
      accept_paused_ = false;
      LOG_INFO("tether listener: accepting again");
    }
    const std::string ip = PeerAddress(ss);
    auto p = std::make_unique<Preamble>(
        loop_, std::move(conn), PeerName(ss), RandomNonce(),
        timings_.preamble_deadline_ms, [this](Preamble* done, base::Status s) {
          OnPreambleDone(done, std::move(s));
        });
    Preamble* raw = p.get();
    if (!Admit(ip, raw)) {
      // Closed here and now; at the overall cap with nobody stalled long
      // enough to make room, the listener rests instead of closing
      // whatever comes next in a loop.
      if (unauthenticated_ >= timings_.max_unauthenticated) RestAccepting();
      if (accept_resting_) return;
      continue;
    }
    int one = 1;  // Keystrokes over attach must not wait for Nagle.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    preambles_[raw] = std::move(p);
    base::Status s = raw->Start();
    if (!s.ok()) OnPreambleDone(raw, std::move(s));
  }
}

void SshServer::RestAccepting() {
  if (accept_resting_ || accept_paused_) return;
  accept_resting_ = true;
  uv_poll_stop(listen_poll_.get());
  uv_timer_start(accept_retry_.get(), &SshServer::OnAcceptRetry,
                 timings_.evict_preamble_after_ms, 0);
}

void SshServer::PauseAccepting(int err) {
  // The listener stays readable while the connection waits in the
  // backlog: watching it now would spin. Rest, then try again; say so
  // once per pause, not per try.
  uv_poll_stop(listen_poll_.get());
  uv_timer_start(accept_retry_.get(), &SshServer::OnAcceptRetry, kAcceptRetryMs,
                 0);
  if (accept_paused_) return;
  accept_paused_ = true;
  LOG_ERROR("tether listener: accept: %s; pausing, retrying every %llu ms",
            std::strerror(err),
            static_cast<unsigned long long>(kAcceptRetryMs));
}

void SshServer::OnAcceptRetry(uv_timer_t* h) noexcept {
  SshServer* self = static_cast<SshServer*>(h->data);
  self->accept_resting_ = false;
  uv_poll_start(self->listen_poll_.get(), UV_READABLE,
                &SshServer::OnAcceptable);
}

bool SshServer::Admit(const std::string& ip, Preamble* p) {
  bool room =
      (unauthenticated_by_ip_[ip] < timings_.max_unauthenticated_per_peer ||
       EvictOne(ip)) &&
      (unauthenticated_ < timings_.max_unauthenticated || EvictOne(""));
  size_t& from_ip = unauthenticated_by_ip_[ip];
  if (room) {
    ++from_ip;
    ++unauthenticated_;
    uint64_t n = next_stranger_++;
    strangers_by_age_[n] = Stranger{ip, uv_now(loop_), p, nullptr};
    stranger_numbers_[p] = n;
    return true;
  }
  std::string note;
  if (strangers_.Take(&note)) {
    LOG_WARN(
        "tether listener: refused a connection from %s: %zu from there "
        "and %zu in all have not logged in yet (limits %zu and %zu)%s",
        ip.c_str(), from_ip, unauthenticated_,
        timings_.max_unauthenticated_per_peer, timings_.max_unauthenticated,
        note.c_str());
  }
  if (from_ip == 0) unauthenticated_by_ip_.erase(ip);
  return false;
}

bool SshServer::EvictOne(const std::string& ip) {
  const uint64_t now = uv_now(loop_);
  // Still in the preamble first (a tether's takes a round trip), then
  // stuck before its login.
  for (bool preamble : {true, false}) {
    uint64_t after = preamble ? timings_.evict_preamble_after_ms
                              : timings_.evict_login_after_ms;
    for (auto& [n, st] : strangers_by_age_) {
      if (now - st.since_ms < after) break;  // The rest are younger.
      if ((st.preamble != nullptr) != preamble) continue;
      if (!ip.empty() && st.ip != ip) continue;
      std::string note;
      if (strangers_.Take(&note)) {
        LOG_INFO(
            "tether listener: dropped a connection from %s that had not "
            "logged in after %llu ms, for a new one%s",
            st.ip.c_str(), static_cast<unsigned long long>(now - st.since_ms),
            note.c_str());
      }
      const std::string why = "dropped to make room: not logged in";
      if (st.preamble != nullptr) {
        // Its end releases it (OnPreambleDone): quietly, it was logged.
        Preamble* victim = st.preamble;
        Release(victim);
        OnPreambleDone(victim, base::Status::Unavailable(why));
      } else {
        st.link->Disconnect(why);
      }
      return true;
    }
  }
  return false;
}

void SshServer::Release(const void* key) {
  auto num = stranger_numbers_.find(key);
  if (num == stranger_numbers_.end()) return;
  auto st = strangers_by_age_.find(num->second);
  auto it = unauthenticated_by_ip_.find(st->second.ip);
  if (it != unauthenticated_by_ip_.end() && --it->second == 0) {
    unauthenticated_by_ip_.erase(it);
  }
  strangers_by_age_.erase(st);
  stranger_numbers_.erase(num);
  --unauthenticated_;
  if (accept_resting_) {
    // Room again: no need to wait out the rest.
    uv_timer_stop(accept_retry_.get());
    OnAcceptRetry(accept_retry_.get());
  }
}

void SshServer::OnPreambleDone(Preamble* p, base::Status s) {
  auto it = preambles_.find(p);
  if (it == preambles_.end()) return;
  std::unique_ptr<Preamble> preamble = std::move(it->second);
  preambles_.erase(it);
  std::string note;
  if (!s.ok()) {
    bool counted = stranger_numbers_.count(p) > 0;
    Release(p);
    if (counted && strangers_.Take(&note)) {
      LOG_INFO("tether %s: %s%s", p->peer().c_str(), s.ToString().c_str(),
               note.c_str());
    }
    graveyard_.Add(std::move(preamble));
    return;
  }
  LinkHooks hooks;
  hooks.logged_in = [this](TetherLink* l) { OnLinkLogin(l); };
  hooks.done = [this](TetherLink* l) { OnLinkDone(l); };
  hooks.refusals = &refusals_;
  hooks.strangers = &strangers_;
  auto link = std::make_unique<TetherLink>(loop_, registry_, p->peer(),
                                           timings_, std::move(hooks));
  TetherLink* raw = link.get();
  base::Status st = link->Start(bind_, p->TakeFd(), p->TakePoll());
  graveyard_.Add(std::move(preamble));
  // The stranger is now the link.
  auto num = stranger_numbers_.find(p);
  if (num != stranger_numbers_.end()) {
    uint64_t n = num->second;
    stranger_numbers_.erase(num);
    stranger_numbers_[raw] = n;
    strangers_by_age_[n].preamble = nullptr;
    strangers_by_age_[n].link = raw;
  }
  if (!st.ok()) {
    Release(raw);
    if (strangers_.Take(&note)) {
      LOG_WARN("tether %s: %s%s", raw->peer().c_str(), st.ToString().c_str(),
               note.c_str());
    }
    graveyard_.Add(std::move(link));
    return;
  }
  links_[raw] = std::move(link);
}

void SshServer::OnLinkLogin(TetherLink* link) { Release(link); }

void SshServer::OnLinkDone(TetherLink* link) {
  OnLinkLogin(link);  // One that never logged in stops counting too.
  graveyard_.Retire(&links_, link);
}

}  // namespace endpoint
}  // namespace attach
