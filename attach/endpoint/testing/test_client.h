// A blocking tetherctl stand-in for attachd's tests: one connection to
// attachd.sock speaking client.proto. Run it on a thread
// (testing::WhileLooping). Reads give up after 10 s.
#ifndef TETHER_ATTACH_ENDPOINT_TESTING_TEST_CLIENT_H_
#define TETHER_ATTACH_ENDPOINT_TESTING_TEST_CLIENT_H_

#include <string>
#include <vector>

#include "attach/frame.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "client.pb.h"

namespace attach {
namespace endpoint {
namespace testing {

class TestClient {
 public:
  base::Status Connect(const std::string& socket_path);
  // Uses `fd`, a socket already connected to attachd.sock (by a process
  // of another user, say).
  void Adopt(base::UniqueFd fd) { fd_ = std::move(fd); }
  base::Status Send(const ::tether::attach::Request& req);
  // Send, with `fd` passed along (a terminal handoff).
  base::Status SendWithFd(const ::tether::attach::Request& req, int fd);
  // The next response; kUnavailable once attachd closed the connection.
  base::Result<::tether::attach::Response> Recv();
  // Every response until attachd closes the connection.
  std::vector<::tether::attach::Response> RecvAll();
  // Sets the receive buffer small, so an unread client fills up quickly.
  void ShrinkReceiveBuffer();
  void Close() { fd_.Reset(); }
  int fd() const { return fd_.get(); }

 private:
  base::UniqueFd fd_;
  FrameReader reader_;
};

// Connects, sends `req` and returns every response.
std::vector<::tether::attach::Response> RunCommand(
    const std::string& socket_path, const ::tether::attach::Request& req);

// The concatenated output data of `responses`.
std::string OutputOf(const std::vector<::tether::attach::Response>& responses);

}  // namespace testing
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_TESTING_TEST_CLIENT_H_
