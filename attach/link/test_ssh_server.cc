#include "attach/link/test_ssh_server.h"

#include <arpa/inet.h>
#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <random>
#include <set>

#include "attach/frame.h"
#include "attach/sync_preamble.h"

namespace attach {
namespace testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kStreamPrefix[] = "tether-stream@";

}  // namespace

struct TestSshServer::Chan {
  Conn* conn = nullptr;
  ssh_channel channel = nullptr;
  ssh_channel_callbacks_struct cb{};
  std::string subsystem;
  std::string session_id;  // Stream channels.
  FrameReader frames;      // The control channel.
};

struct TestSshServer::Conn {
  TestSshServer* server = nullptr;
  ssh_session session = nullptr;
  ssh_event event = nullptr;
  ssh_server_callbacks_struct cb{};
  std::vector<std::unique_ptr<Chan>> chans;
  std::map<std::pair<std::string, int>, uint64_t> acked;
  std::vector<std::pair<Chan*, tether::attach::Envelope>> replies;
  std::set<std::string> exited;  // SessionExited not yet acknowledged.
  bool drop = false;
};

TestSshServer::TestSshServer(Options options) : options_(std::move(options)) {}

TestSshServer::~TestSshServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (authorized_ != nullptr) ssh_key_free(authorized_);
  if (bind_ != nullptr) ssh_bind_free(bind_);
}

void TestSshServer::Start() {
  bind_ = ssh_bind_new();
  ssh_bind_options_set(bind_, SSH_BIND_OPTIONS_HOSTKEY,
                       options_.host_key_path.c_str());
  if (ssh_pki_import_pubkey_file(options_.authorized_key_path.c_str(),
                                 &authorized_) != SSH_OK) {
    authorized_ = nullptr;
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(sin);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&sin), len) != 0 ||
      ::listen(listen_fd_, 4) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&sin), &len) != 0) {
    return;
  }
  port_ = ntohs(sin.sin_port);
  thread_ = std::thread([this] { Run(); });
}

void TestSshServer::Run() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) Serve(fd);
  }
}

bool TestSshServer::Preamble(int fd) {
  static std::mt19937_64 rng(std::random_device{}());
  const std::string line = SyncLine(rng());
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  auto next_send = Clock::now();
  std::string tail;
  // Repeat the line every 200 ms until the tether echoes it.
  while (tail != line) {
    if (stop_ || Clock::now() > deadline) return false;
    if (Clock::now() >= next_send) {
      if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) < 0) return false;
      next_send = Clock::now() + std::chrono::milliseconds(200);
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10) <= 0) continue;
    char c;
    if (::recv(fd, &c, 1, 0) != 1) return false;
    tail.push_back(c);
    if (tail.size() > line.size()) tail.erase(0, 1);
  }
  // Then drop everything up to the client's "SSH-", leaving it for libssh.
  for (;;) {
    if (stop_ || Clock::now() > deadline) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10) <= 0) continue;
    char b[4];
    ssize_t n = ::recv(fd, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN) continue;
    if (n <= 0) return false;
    if (std::memcmp(b, "SSH-", static_cast<size_t>(n)) == 0) {
      if (n == 4) return true;
      continue;  // A prefix of the banner: wait for the rest.
    }
    (void)::recv(fd, b, 1, 0);
  }
}

void TestSshServer::Serve(int fd) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++connections_;
  }
  if (!Preamble(fd)) {
    ::close(fd);
    return;
  }
  Conn conn;
  conn.server = this;
  conn.session = ssh_new();
  if (ssh_bind_accept_fd(bind_, conn.session, fd) != SSH_OK) {
    ssh_free(conn.session);
    ::close(fd);
    return;
  }
  conn.cb.userdata = &conn;
  conn.cb.auth_pubkey_function = &TestSshServer::OnAuthPubkey;
  conn.cb.channel_open_request_session_function = &TestSshServer::OnChannelOpen;
  ssh_callbacks_init(&conn.cb);
  ssh_set_server_callbacks(conn.session, &conn.cb);
  ssh_set_auth_methods(conn.session, SSH_AUTH_METHOD_PUBLICKEY);
  if (ssh_handle_key_exchange(conn.session) == SSH_OK) {
    conn.event = ssh_event_new();
    ssh_event_add_session(conn.event, conn.session);
    while (!stop_ && !conn.drop && ssh_is_connected(conn.session)) {
      if (ssh_event_dopoll(conn.event, 10) == SSH_ERROR) break;
      // Replies wait until libssh is out of its callbacks.
      std::vector<std::pair<Chan*, tether::attach::Envelope>> replies;
      replies.swap(conn.replies);
      for (auto& r : replies) SendFrame(*r.first, r.second);
      RunCommands(conn);
      MaybeAck(conn);
    }
    ssh_event_remove_session(conn.event, conn.session);
    ssh_event_free(conn.event);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    session_up_ = false;
  }
  // An abrupt end, like a crashed endpoint or a lost network: no
  // SSH_MSG_DISCONNECT, the socket just goes away.
  ::shutdown(ssh_get_fd(conn.session), SHUT_RDWR);
  ssh_free(conn.session);  // Frees the channels and closes fd.
}

int TestSshServer::OnAuthPubkey(ssh_session_struct*, const char* user,
                                ssh_key_struct* key, char state,
                                void* userdata) noexcept {
  auto* conn = static_cast<Conn*>(userdata);
  TestSshServer* self = conn->server;
  std::lock_guard<std::mutex> lock(self->mu_);
  ++self->auth_attempts_;
  bool match = self->authorized_ != nullptr && user == self->options_.user &&
               ssh_key_cmp(key, self->authorized_, SSH_KEY_CMP_PUBLIC) == 0;
  if (!match) return SSH_AUTH_DENIED;
  if (state == SSH_PUBLICKEY_STATE_NONE) return SSH_AUTH_SUCCESS;  // Probe.
  if (state != SSH_PUBLICKEY_STATE_VALID) return SSH_AUTH_DENIED;
  self->session_up_ = true;
  return SSH_AUTH_SUCCESS;
}

ssh_channel_struct* TestSshServer::OnChannelOpen(ssh_session_struct* session,
                                                 void* userdata) noexcept {
  auto* conn = static_cast<Conn*>(userdata);
  auto chan = std::make_unique<Chan>();
  chan->conn = conn;
  chan->channel = ssh_channel_new(session);
  chan->cb.userdata = chan.get();
  chan->cb.channel_data_function = &TestSshServer::OnData;
  chan->cb.channel_eof_function = &TestSshServer::OnEof;
  chan->cb.channel_subsystem_request_function = &TestSshServer::OnSubsystem;
  ssh_callbacks_init(&chan->cb);
  ssh_set_channel_callbacks(chan->channel, &chan->cb);
  {
    std::lock_guard<std::mutex> lock(conn->server->mu_);
    ++conn->server->channels_opened_;
  }
  ssh_channel ch = chan->channel;
  conn->chans.push_back(std::move(chan));
  return ch;
}

int TestSshServer::OnSubsystem(ssh_session_struct*, ssh_channel_struct*,
                               const char* name, void* userdata) noexcept {
  auto* chan = static_cast<Chan*>(userdata);
  chan->subsystem = name;
  if (chan->subsystem.rfind(kStreamPrefix, 0) == 0) {
    chan->session_id = chan->subsystem.substr(sizeof(kStreamPrefix) - 1);
  }
  return 0;  // Accepted.
}

int TestSshServer::OnData(ssh_session_struct*, ssh_channel_struct*, void* data,
                          uint32_t len, int is_stderr,
                          void* userdata) noexcept {
  auto* chan = static_cast<Chan*>(userdata);
  const char* bytes = static_cast<const char*>(data);
  if (chan->subsystem == "tether-control") {
    // Handled at once, so control messages and stream bytes are seen in
    // the order the tether sent them (an OutputGap before the bytes after
    // it).
    chan->frames.Append(bytes, len);
    chan->conn->server->HandleControl(*chan);
  } else if (!chan->session_id.empty()) {
    TestSshServer* self = chan->conn->server;
    std::lock_guard<std::mutex> lock(self->mu_);
    StreamLog& log = self->logs_[{chan->session_id, is_stderr ? 2 : 1}];
    if (self->options_.keep_bytes) log.bytes.append(bytes, len);
    log.end += len;
  }
  return static_cast<int>(len);
}

void TestSshServer::OnEof(ssh_session_struct*, ssh_channel_struct*,
                          void* userdata) noexcept {
  auto* chan = static_cast<Chan*>(userdata);
  TestSshServer* self = chan->conn->server;
  std::lock_guard<std::mutex> lock(self->mu_);
  if (!chan->session_id.empty()) self->stream_eof_[chan->session_id] = true;
}

void TestSshServer::HandleControl(Chan& chan) {
  for (;;) {
    auto next = chan.frames.Next();
    if (!next.ok() || !next->has_value()) return;
    tether::attach::Envelope env;
    if (!ParseFrame(**next, &env, "control").ok()) return;
    tether::attach::Envelope reply;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (env.has_hello()) {
        ++hellos_;
        last_hello_ = env.hello();
        auto* welcome = reply.mutable_welcome();
        welcome->set_version(1);
        for (const auto& s : env.hello().sessions()) {
          auto* o = welcome->add_offsets();
          o->set_session_id(s.id());
          o->set_stdout(logs_[{s.id(), 1}].end);
          o->set_stderr(logs_[{s.id(), 2}].end);
        }
      } else if (env.has_output_gap()) {
        const auto& g = env.output_gap();
        StreamLog& log = logs_[{g.session_id(), static_cast<int>(g.stream())}];
        log.gaps.emplace_back(g.begin(), g.end());
        log.end = g.end();
      } else if (env.has_session_exited()) {
        const auto& e = env.session_exited();
        exits_.push_back({e, logs_[{e.session_id(), 1}].end,
                          logs_[{e.session_id(), 2}].end});
        if (options_.ack_exits) chan.conn->exited.insert(e.session_id());
      } else if (env.has_pong()) {
        pongs_.push_back(env.pong().nonce());
      } else {
        other_.push_back(env);
      }
    }
    if (reply.has_welcome()) chan.conn->replies.emplace_back(&chan, reply);
  }
}

void TestSshServer::SendFrame(Chan& chan, const tether::attach::Envelope& env) {
  std::string frame = EncodeFrame(env);
  ssh_channel_write(chan.channel, frame.data(),
                    static_cast<uint32_t>(frame.size()));
}

void TestSshServer::MaybeAck(Conn& conn) {
  if (!options_.send_acks) return;
  Chan* control = nullptr;
  for (auto& c : conn.chans) {
    if (c->subsystem == "tether-control") control = c.get();
  }
  if (control == nullptr) return;
  tether::attach::Envelope env;
  bool changed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<std::string, tether::attach::StreamOffsets*> by_session;
    for (const auto& entry : logs_) {
      const auto& key = entry.first;
      if (conn.acked[key] != entry.second.end) changed = true;
      conn.acked[key] = entry.second.end;
      auto*& o = by_session[key.first];
      if (o == nullptr) {
        o = env.mutable_ack()->add_offsets();
        o->set_session_id(key.first);
      }
      if (key.second == 1) o->set_stdout(entry.second.end);
      if (key.second == 2) o->set_stderr(entry.second.end);
    }
    // As attachd: an end is acknowledged once, output or not.
    for (const std::string& id : conn.exited) {
      auto*& o = by_session[id];
      if (o == nullptr) {
        o = env.mutable_ack()->add_offsets();
        o->set_session_id(id);
      }
      o->set_exited(true);
      changed = true;
    }
    conn.exited.clear();
  }
  if (changed) SendFrame(*control, env);
}

TestSshServer::Chan* TestSshServer::FindStream(Conn& conn,
                                               const std::string& session) {
  for (auto& c : conn.chans) {
    if (c->session_id == session) return c.get();
  }
  return nullptr;
}

void TestSshServer::Post(std::function<void(Conn&)> cmd) {
  std::lock_guard<std::mutex> lock(mu_);
  commands_.push_back(std::move(cmd));
}

void TestSshServer::RunCommands(Conn& conn) {
  std::vector<std::function<void(Conn&)>> cmds;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cmds.swap(commands_);
  }
  for (auto& cmd : cmds) cmd(conn);
}

void TestSshServer::SendControl(const tether::attach::Envelope& env) {
  Post([this, env](Conn& conn) {
    for (auto& c : conn.chans) {
      if (c->subsystem == "tether-control") SendFrame(*c, env);
    }
  });
}

void TestSshServer::SendRawControl(const std::string& bytes) {
  Post([bytes](Conn& conn) {
    for (auto& c : conn.chans) {
      if (c->subsystem == "tether-control") {
        ssh_channel_write(c->channel, bytes.data(),
                          static_cast<uint32_t>(bytes.size()));
      }
    }
  });
}

void TestSshServer::SendStdin(const std::string& session,
                              const std::string& data) {
  Post([this, session, data](Conn& conn) {
    if (Chan* c = FindStream(conn, session)) {
      ssh_channel_write(c->channel, data.data(),
                        static_cast<uint32_t>(data.size()));
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++stdin_writes_done_;
  });
}

void TestSshServer::SendStdinEof(const std::string& session) {
  Post([this, session](Conn& conn) {
    if (Chan* c = FindStream(conn, session)) ssh_channel_send_eof(c->channel);
  });
}

void TestSshServer::DropConnection() {
  Post([](Conn& conn) { conn.drop = true; });
}

void TestSshServer::Freeze(int ms) {
  Post([ms](Conn&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  });
}

TestSshServer::StreamLog TestSshServer::Stream(const std::string& session,
                                               int stream) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = logs_.find({session, stream});
  return it == logs_.end() ? StreamLog() : it->second;
}

#define TETHER_TEST_SERVER_GETTER(type, name, member) \
  type TestSshServer::name() const {                  \
    std::lock_guard<std::mutex> lock(mu_);            \
    return member;                                    \
  }
TETHER_TEST_SERVER_GETTER(int, connections, connections_)
TETHER_TEST_SERVER_GETTER(int, auth_attempts, auth_attempts_)
TETHER_TEST_SERVER_GETTER(int, channels_opened, channels_opened_)
TETHER_TEST_SERVER_GETTER(int, hellos, hellos_)
TETHER_TEST_SERVER_GETTER(bool, session_up, session_up_)
TETHER_TEST_SERVER_GETTER(tether::attach::Hello, last_hello, last_hello_)
TETHER_TEST_SERVER_GETTER(std::vector<uint64_t>, pongs, pongs_)
TETHER_TEST_SERVER_GETTER(std::vector<TestSshServer::ExitRecord>, exits, exits_)
TETHER_TEST_SERVER_GETTER(std::vector<tether::attach::Envelope>, other_control,
                          other_)
#undef TETHER_TEST_SERVER_GETTER

int TestSshServer::stdin_writes_done() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stdin_writes_done_;
}

bool TestSshServer::stream_eof(const std::string& session) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stream_eof_.find(session);
  return it != stream_eof_.end() && it->second;
}

}  // namespace testing
}  // namespace attach
