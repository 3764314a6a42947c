#include "attach/endpoint/testing/test_tether.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "attach/sync_preamble.h"

namespace attach {
namespace endpoint {
namespace testing {
namespace {

namespace pb = ::tether::attach;

constexpr long kTimeoutMs = 10000;

std::string Base64NoPad(const unsigned char* data, size_t len) {
  std::string out(4 * ((len + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), data,
                          static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

base::Status WriteChannel(LIBSSH2_CHANNEL* ch, int stream,
                          const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t rc = libssh2_channel_write_ex(ch, stream, data.data() + done,
                                          data.size() - done);
    if (rc < 0) {
      return base::Status::Unavailable("channel write failed: " +
                                       std::to_string(rc));
    }
    done += static_cast<size_t>(rc);
  }
  return base::Status::Ok();
}

}  // namespace

TestTether::TestTether(TetherOptions options) : options_(std::move(options)) {
  libssh2_init(0);
}

TestTether::~TestTether() { Close(); }

base::Status TestTether::SshError(const std::string& what) {
  char* msg = nullptr;
  libssh2_session_last_error(session_, &msg, nullptr, 0);
  return base::Status::Unavailable(what + ": " + (msg ? msg : "?"));
}

base::Status TestTether::Connect() {
  fd_.Reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  timeval tv = {kTimeoutMs / 1000, 0};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(options_.port);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr))) {
    return base::Status::Io("connect", errno);
  }
  TETHER_RETURN_IF_ERROR(Preamble());
  session_ = libssh2_session_init_ex(nullptr, nullptr, nullptr, this);
  libssh2_session_callback_set(session_, LIBSSH2_CALLBACK_RECV,
                               reinterpret_cast<void*>(&TestTether::Recv));
  libssh2_session_callback_set(session_, LIBSSH2_CALLBACK_SEND,
                               reinterpret_cast<void*>(&TestTether::Send));
  libssh2_session_set_blocking(session_, 1);
  libssh2_session_set_timeout(session_, kTimeoutMs);
  if (libssh2_session_handshake(session_, fd_.get()) != 0) {
    return SshError("handshake");
  }
  const char* hash =
      libssh2_hostkey_hash(session_, LIBSSH2_HOSTKEY_HASH_SHA256);
  if (hash == nullptr) return SshError("host key hash");
  seen_fingerprint_ =
      "SHA256:" + Base64NoPad(reinterpret_cast<const unsigned char*>(hash), 32);
  if (!options_.host_key_sha256.empty() &&
      seen_fingerprint_ != options_.host_key_sha256) {
    return base::Status::PermissionDenied("host key mismatch: " +
                                          seen_fingerprint_);
  }
  if (libssh2_userauth_publickey_frommemory(
          session_, options_.user.data(), options_.user.size(), nullptr, 0,
          options_.identity_key.data(), options_.identity_key.size(),
          nullptr) != 0) {
    return SshError("login");
  }
  return base::Status::Ok();
}

base::Status TestTether::Preamble() {
  if (options_.garbage_first) {
    const char junk[] = "stale bytes\nTETHER-SYNC nothex!\n";
    (void)::send(fd_.get(), junk, sizeof(junk) - 1, MSG_NOSIGNAL);
  }
  SyncScanner scanner;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
    if (n <= 0) return base::Status::Unavailable("preamble: no sync line");
    base::Result<std::optional<SyncScanner::Found>> found =
        scanner.Feed(std::string_view(buf, static_cast<size_t>(n)));
    if (!found.ok()) return found.TakeStatus();
    if (found->has_value()) {
      pending_ = (*found)->rest;
      const std::string& line = (*found)->line;
      if (::send(fd_.get(), line.data(), line.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(line.size())) {
        return base::Status::Io("preamble: echo", errno);
      }
      return base::Status::Ok();
    }
  }
}

// Lines the endpoint sent before its version line (more sync lines, sent
// before it saw the echo) are dropped: libssh2 1.10 would take the first
// line for the version.
ssize_t TestTether::Recv(libssh2_socket_t fd, void* buf, size_t len, int flags,
                         void** abstract) {
  TestTether* t = static_cast<TestTether*>(*abstract);
  while (!t->banner_seen_) {
    if (t->pending_.size() >= 4 && t->pending_.compare(0, 4, "SSH-") == 0) {
      t->banner_seen_ = true;
      break;
    }
    size_t nl = t->pending_.find('\n');
    if (nl != std::string::npos) {
      t->pending_.erase(0, nl + 1);
      continue;
    }
    char more[4096];
    ssize_t n = ::recv(fd, more, sizeof(more), flags);
    if (n < 0) return -errno;
    if (n == 0) return 0;
    t->pending_.append(more, static_cast<size_t>(n));
  }
  if (!t->pending_.empty()) {
    size_t n = std::min(len, t->pending_.size());
    std::memcpy(buf, t->pending_.data(), n);
    t->pending_.erase(0, n);
    return static_cast<ssize_t>(n);
  }
  ssize_t n = ::recv(fd, buf, len, flags);
  return n < 0 ? -errno : n;
}

ssize_t TestTether::Send(libssh2_socket_t fd, const void* buf, size_t len,
                         int flags, void** abstract) {
  TestTether* t = static_cast<TestTether*>(*abstract);
  flags |= MSG_NOSIGNAL;
  if (t->options_.split_banner && t->first_send_ && len > 1) {
    // The endpoint must not lose the "S" it sees alone.
    t->first_send_ = false;
    if (::send(fd, buf, 1, flags) != 1) return -errno;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ssize_t n = ::send(fd, static_cast<const char*>(buf) + 1, len - 1, flags);
    return n < 0 ? -errno : n + 1;
  }
  t->first_send_ = false;
  ssize_t n = ::send(fd, buf, len, flags);
  return n < 0 ? -errno : n;
}

LIBSSH2_CHANNEL* TestTether::OpenSubsystem(const std::string& name) {
  LIBSSH2_CHANNEL* ch = libssh2_channel_open_session(session_);
  if (ch == nullptr) return nullptr;
  if (libssh2_channel_subsystem(ch, name.c_str()) != 0) {
    libssh2_channel_free(ch);
    return nullptr;
  }
  return ch;
}

base::Result<pb::Welcome> TestTether::Hello(const pb::Hello& hello) {
  control_ = OpenSubsystem("tether-control");
  if (control_ == nullptr) return SshError("control channel");
  pb::Envelope env;
  *env.mutable_hello() = hello;
  TETHER_RETURN_IF_ERROR(SendControl(env));
  TETHER_ASSIGN_OR_RETURN(
      pb::Envelope reply,
      ReadUntil([](const pb::Envelope& e) { return e.has_welcome(); }));
  return reply.welcome();
}

base::Status TestTether::SendControl(const pb::Envelope& env) {
  if (control_ == nullptr) return base::Status::Internal("no control channel");
  return WriteChannel(control_, 0, EncodeFrame(env));
}

base::Result<pb::Envelope> TestTether::ReadControl(bool answer_pings) {
  if (control_ == nullptr) return base::Status::Internal("no control channel");
  for (;;) {
    TETHER_ASSIGN_OR_RETURN(std::optional<std::string> frame, reader_.Next());
    if (frame.has_value()) {
      pb::Envelope env;
      TETHER_RETURN_IF_ERROR(ParseFrame(*frame, &env, "control"));
      if (env.has_ping() && answer_pings) {
        pb::Envelope pong;
        pong.mutable_pong()->set_nonce(env.ping().nonce());
        TETHER_RETURN_IF_ERROR(SendControl(pong));
        continue;
      }
      return env;
    }
    char buf[16384];
    ssize_t n = libssh2_channel_read(control_, buf, sizeof(buf));
    if (n < 0) return SshError("control read");
    if (n == 0) return base::Status::Unavailable("control channel closed");
    reader_.Append(buf, static_cast<size_t>(n));
  }
}

base::Result<pb::Envelope> TestTether::ReadUntil(
    const std::function<bool(const pb::Envelope&)>& want) {
  // Pings arrive every few seconds, so each read returns in time; only
  // this bound stops a wait for a message that never comes.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(3 * kTimeoutMs);
  for (;;) {
    TETHER_ASSIGN_OR_RETURN(pb::Envelope env, ReadControl());
    if (want(env)) return env;
    if (std::chrono::steady_clock::now() > deadline) {
      return base::Status::Unavailable(
          "control: the awaited message did not come in " +
          std::to_string(3 * kTimeoutMs / 1000) + " s (last message: case " +
          std::to_string(static_cast<int>(env.msg_case())) + ")");
    }
  }
}

base::Status TestTether::WaitAck(const std::string& session, uint64_t out,
                                 uint64_t err) {
  return ReadUntil([&](const pb::Envelope& env) {
           for (const pb::StreamOffsets& o : env.ack().offsets()) {
             if (o.session_id() == session && o.stdout() >= out &&
                 o.stderr() >= err) {
               return true;
             }
           }
           return false;
         })
      .status();
}

base::Status TestTether::OpenStream(const std::string& session) {
  LIBSSH2_CHANNEL* ch = OpenSubsystem("tether-stream@" + session);
  if (ch == nullptr) return SshError("stream channel " + session);
  streams_[session] = ch;
  return base::Status::Ok();
}

base::Status TestTether::Write(const std::string& session,
                               const std::string& data, bool is_stderr) {
  auto it = streams_.find(session);
  if (it == streams_.end()) return base::Status::NotFound("no stream");
  return WriteChannel(it->second, is_stderr ? SSH_EXTENDED_DATA_STDERR : 0,
                      data);
}

base::Result<std::string> TestTether::ReadStdin(const std::string& session,
                                                size_t max) {
  auto it = streams_.find(session);
  if (it == streams_.end()) return base::Status::NotFound("no stream");
  std::string buf(max, '\0');
  ssize_t n = libssh2_channel_read(it->second, &buf[0], max);
  if (n < 0) return SshError("stdin read");
  buf.resize(static_cast<size_t>(n));
  return buf;
}

void TestTether::Close() {
  if (session_ != nullptr) {
    // Nothing waits for attachd's goodbyes: its loop may not be running.
    ::shutdown(fd_.get(), SHUT_RDWR);
    for (auto& [id, ch] : streams_) libssh2_channel_free(ch);
    streams_.clear();
    if (control_ != nullptr) libssh2_channel_free(control_);
    control_ = nullptr;
    libssh2_session_disconnect(session_, "bye");
    libssh2_session_free(session_);
    session_ = nullptr;
  }
  fd_.Reset();
}

}  // namespace testing
}  // namespace endpoint
}  // namespace attach
