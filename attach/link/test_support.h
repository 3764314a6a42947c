// Helpers for the attach link tests: temporary directories, ed25519 keys
// made by ssh-keygen at test time (never committed), and running a real
// libuv loop until a condition holds.
#ifndef TETHER_ATTACH_LINK_TEST_SUPPORT_H_
#define TETHER_ATTACH_LINK_TEST_SUPPORT_H_

#include <uv.h>

#include <functional>
#include <string>

namespace attach {
namespace testing {

// A fresh directory under $TMPDIR, removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct TestKey {
  std::string private_path;
  std::string public_path;
  std::string private_key;  // OpenSSH format.
  std::string fingerprint;  // "SHA256:..." as ssh-keygen -l prints it.
};

// `ssh-keygen -t ed25519 -N ''` into dir/name; aborts the test on failure.
TestKey MakeKey(const std::string& dir, const std::string& name);

// Runs `loop` until `done()` is true or `timeout_ms` passed; returns done().
// Checks every 2 ms with a timer of its own, closed before returning.
bool RunUntil(uv_loop_t* loop, const std::function<bool()>& done,
              int timeout_ms);

// Runs the loop until every handle is closed; true if uv_loop_close() == 0.
bool DrainAndClose(uv_loop_t* loop);

// A container id of 64 hex digits.
std::string ContainerId();

// A blocking TCP connection to 127.0.0.1:`port`, or -1; the caller closes
// it. For test threads that play the hypervisor between a port and the
// test server.
int ConnectLoopback(int port);

}  // namespace testing
}  // namespace attach

#endif  // TETHER_ATTACH_LINK_TEST_SUPPORT_H_
