// A minimal endpoint for the link tests: libssh's server API on a thread
// of its own, listening on 127.0.0.1. It plays attachd's part of
// docs/protocol.md closely enough to test the tether side against a real
// SSH implementation: the sync preamble, publickey auth for one user and
// key, "session" channels named by subsystem requests, Hello -> Welcome
// from what it persisted (in memory, across connections), Acks, and the
// recording of everything the tether sent. It is not attachd.
#ifndef TETHER_ATTACH_LINK_TEST_SSH_SERVER_H_
#define TETHER_ATTACH_LINK_TEST_SSH_SERVER_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "control.pb.h"

// libssh's handle types, without its headers.
struct ssh_bind_struct;
struct ssh_key_struct;
struct ssh_session_struct;
struct ssh_channel_struct;

namespace attach {
namespace testing {

class TestSshServer {
 public:
  struct Options {
    std::string host_key_path;
    std::string authorized_key_path;  // The tether's public key.
    std::string user;                 // The container id.
    bool send_acks = true;
    bool ack_exits = true;   // With send_acks: mark SessionExited in Acks.
    bool keep_bytes = true;  // False: count stream bytes, keep none.
  };
  // One stream of one session as the server persisted it.
  struct StreamLog {
    uint64_t end = 0;   // Logical offset: bytes received plus gaps.
    std::string bytes;  // Bytes received, in order.
    std::vector<std::pair<uint64_t, uint64_t>> gaps;  // [begin, end).
  };
  struct ExitRecord {
    tether::attach::SessionExited msg;
    uint64_t stdout_at = 0;  // Server offsets when it arrived.
    uint64_t stderr_at = 0;
  };

  explicit TestSshServer(Options options);
  ~TestSshServer();  // Stops the thread and closes everything.

  // Listens on 127.0.0.1 (an ephemeral port) and starts serving.
  void Start();
  int port() const { return port_; }

  // Views, safe from any thread.
  StreamLog Stream(const std::string& session, int stream) const;
  int connections() const;
  int auth_attempts() const;
  int channels_opened() const;
  int hellos() const;
  bool session_up() const;  // An SSH session is authenticated now.
  tether::attach::Hello last_hello() const;
  std::vector<uint64_t> pongs() const;
  std::vector<ExitRecord> exits() const;
  bool stream_eof(const std::string& session) const;
  // SendStdin calls whose write returned: libssh blocks on a closed
  // window, so a write stays unreturned while the tether is not reading.
  int stdin_writes_done() const;
  // Control messages other than Hello, OutputGap, SessionExited and Pong.
  std::vector<tether::attach::Envelope> other_control() const;

  // Commands for the current connection, run on the server thread.
  void SendControl(const tether::attach::Envelope& env);
  // Bytes as they are, on the control channel (framing included).
  void SendRawControl(const std::string& bytes);
  void SendStdin(const std::string& session, const std::string& data);
  void SendStdinEof(const std::string& session);
  void DropConnection();
  // Stops serving for `ms` (nothing read, nothing answered).
  void Freeze(int ms);

 private:
  struct Conn;
  struct Chan;

  void Run();
  void Serve(int fd);
  bool Preamble(int fd);
  void Post(std::function<void(Conn&)> cmd);
  void RunCommands(Conn& conn);
  void HandleControl(Chan& chan);
  void SendFrame(Chan& chan, const tether::attach::Envelope& env);
  void MaybeAck(Conn& conn);
  Chan* FindStream(Conn& conn, const std::string& session);

  // libssh callbacks (C ABI, never throw).
  static int OnAuthPubkey(ssh_session_struct* session, const char* user,
                          ssh_key_struct* key, char state,
                          void* userdata) noexcept;
  static ssh_channel_struct* OnChannelOpen(ssh_session_struct* session,
                                           void* userdata) noexcept;
  static int OnSubsystem(ssh_session_struct* session,
                         ssh_channel_struct* channel, const char* name,
                         void* userdata) noexcept;
  static int OnData(ssh_session_struct* session, ssh_channel_struct* channel,
                    void* data, uint32_t len, int is_stderr,
                    void* userdata) noexcept;
  static void OnEof(ssh_session_struct* session, ssh_channel_struct* channel,
                    void* userdata) noexcept;

  Options options_;
  ssh_bind_struct* bind_ = nullptr;
  ssh_key_struct* authorized_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};

  mutable std::mutex mu_;  // Guards everything below.
  std::map<std::pair<std::string, int>, StreamLog> logs_;
  int connections_ = 0;
  int auth_attempts_ = 0;
  int channels_opened_ = 0;
  int hellos_ = 0;
  bool session_up_ = false;
  tether::attach::Hello last_hello_;
  std::vector<uint64_t> pongs_;
  std::vector<ExitRecord> exits_;
  std::map<std::string, bool> stream_eof_;
  int stdin_writes_done_ = 0;
  std::vector<tether::attach::Envelope> other_;
  std::vector<std::function<void(Conn&)>> commands_;
};

}  // namespace testing
}  // namespace attach

#endif  // TETHER_ATTACH_LINK_TEST_SSH_SERVER_H_
