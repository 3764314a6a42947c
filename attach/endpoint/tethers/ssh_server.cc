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

std::string PeerName(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (ss.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
  inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
  port = ntohs(in6->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
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
    : loop_(loop), registry_(registry), timings_(timings), graveyard_(loop) {}

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
  listen_fd_ = std::move(fd);
  return base::Status::Ok();
}

void SshServer::Stop() {
  listen_poll_.Close();  // Before the socket: see SshConn::Teardown.
  listen_fd_.Reset();
  for (auto& [p, preamble] : preambles_) graveyard_.Add(std::move(preamble));
  preambles_.clear();
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
      if (errno == EMFILE || errno == ENFILE) {
        LOG_ERROR("tether listener: %s", std::strerror(errno));
      }
      return;  // EAGAIN, or an aborted connection: nothing to do.
    }
    base::UniqueFd conn(fd);
    int one = 1;  // Keystrokes over attach must not wait for Nagle.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto p = std::make_unique<Preamble>(loop_, std::move(conn), PeerName(ss),
                                        RandomNonce(),
                                        [this](Preamble* done, base::Status s) {
                                          OnPreambleDone(done, std::move(s));
                                        });
    Preamble* raw = p.get();
    preambles_[raw] = std::move(p);
    base::Status s = raw->Start();
    if (!s.ok()) OnPreambleDone(raw, std::move(s));
  }
}

void SshServer::OnPreambleDone(Preamble* p, base::Status s) {
  auto it = preambles_.find(p);
  if (it == preambles_.end()) return;
  std::unique_ptr<Preamble> preamble = std::move(it->second);
  preambles_.erase(it);
  if (!s.ok()) {
    LOG_INFO("tether %s: %s", p->peer().c_str(), s.ToString().c_str());
    graveyard_.Add(std::move(preamble));
    return;
  }
  auto link =
      std::make_unique<TetherLink>(loop_, registry_, p->peer(), timings_,
                                   [this](TetherLink* l) { OnLinkDone(l); });
  TetherLink* raw = link.get();
  base::Status st = link->Start(bind_, p->TakeFd(), p->TakePoll());
  graveyard_.Add(std::move(preamble));
  if (!st.ok()) {
    LOG_WARN("tether %s: %s", raw->peer().c_str(), st.ToString().c_str());
    graveyard_.Add(std::move(link));
    return;
  }
  links_[raw] = std::move(link);
}

void SshServer::OnLinkDone(TetherLink* link) {
  graveyard_.Retire(&links_, link);
}

}  // namespace endpoint
}  // namespace attach
