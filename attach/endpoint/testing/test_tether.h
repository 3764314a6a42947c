// A blocking stand-in for the tether in attachd's tests: libssh2 (what the
// real tether speaks), the sync preamble, host key pinning, publickey
// login, the control channel and stream channels. Every call blocks, so a
// test runs it on a thread (testing::WhileLooping) while attachd's loop
// runs on its own thread. Every blocking call gives up after 10 s.
#ifndef TETHER_ATTACH_ENDPOINT_TESTING_TEST_TETHER_H_
#define TETHER_ATTACH_ENDPOINT_TESTING_TEST_TETHER_H_

#include <libssh2.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "attach/frame.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "control.pb.h"

namespace attach {
namespace endpoint {
namespace testing {

struct TetherOptions {
  uint16_t port = 0;
  std::string user;             // Container id.
  std::string identity_key;     // OpenSSH private key.
  std::string host_key_sha256;  // Expected; empty skips the check.
  bool garbage_first = false;   // Send junk before echoing the sync line.
  bool split_banner = false;    // Send "S", pause, then the rest of it.
};

class TestTether {
 public:
  explicit TestTether(TetherOptions options);
  ~TestTether();

  // TCP, preamble, SSH handshake, host key check and login.
  base::Status Connect();
  // Opens the control channel, sends Hello, returns the Welcome.
  base::Result<::tether::attach::Welcome> Hello(
      const ::tether::attach::Hello& hello);
  base::Status SendControl(const ::tether::attach::Envelope& env);
  // The next control message (Acks and Pings included), answering Pings
  // on the way when `answer_pings`.
  base::Result<::tether::attach::Envelope> ReadControl(
      bool answer_pings = true);
  // Reads control messages (answering Pings) until one satisfies `want`;
  // an error after 30 s without one.
  base::Result<::tether::attach::Envelope> ReadUntil(
      const std::function<bool(const ::tether::attach::Envelope&)>& want);
  // Reads control messages until an Ack covers `out`/`err` for `session`.
  base::Status WaitAck(const std::string& session, uint64_t out, uint64_t err);

  base::Status OpenStream(const std::string& session);
  base::Status Write(const std::string& session, const std::string& data,
                     bool is_stderr = false);
  // Reads up to `max` bytes of stdin; "" at EOF.
  base::Result<std::string> ReadStdin(const std::string& session,
                                      size_t max = 65536);
  void Close();

  // The server's host key fingerprint as libssh2 computed it.
  const std::string& seen_fingerprint() const { return seen_fingerprint_; }

 private:
  static ssize_t Recv(libssh2_socket_t fd, void* buf, size_t len, int flags,
                      void** abstract);
  static ssize_t Send(libssh2_socket_t fd, const void* buf, size_t len,
                      int flags, void** abstract);
  base::Status Preamble();
  base::Status SshError(const std::string& what);
  LIBSSH2_CHANNEL* OpenSubsystem(const std::string& name);

  TetherOptions options_;
  base::UniqueFd fd_;
  LIBSSH2_SESSION* session_ = nullptr;
  LIBSSH2_CHANNEL* control_ = nullptr;
  std::map<std::string, LIBSSH2_CHANNEL*> streams_;
  FrameReader reader_;
  std::string pending_;       // Bytes read ahead of libssh2.
  bool banner_seen_ = false;  // The server's "SSH-" line has started.
  bool first_send_ = true;
  std::string seen_fingerprint_;
};

}  // namespace testing
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TESTING_TEST_TETHER_H_
