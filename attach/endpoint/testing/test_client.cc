#include "attach/endpoint/testing/test_client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/fd_io.h"

namespace attach {
namespace endpoint {
namespace testing {

namespace pb = ::tether::attach;

base::Status TestClient::Connect(const std::string& socket_path) {
  fd_.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  timeval tv = {10, 0};
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof(addr.sun_path) - 1);
  if (::connect(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr))) {
    return base::Status::Io("connect " + socket_path, errno);
  }
  return base::Status::Ok();
}

base::Status TestClient::Send(const pb::Request& req) {
  std::string frame = EncodeFrame(req);
  return base::WriteAll(fd_.get(), frame.data(), frame.size());
}

base::Status TestClient::SendWithFd(const pb::Request& req, int fd) {
  std::string frame = EncodeFrame(req);
  return base::SendAllWithFd(fd_.get(), frame.data(), frame.size(), fd);
}

base::Result<pb::Response> TestClient::Recv() {
  for (;;) {
    TETHER_ASSIGN_OR_RETURN(std::optional<std::string> frame, reader_.Next());
    if (frame.has_value()) {
      pb::Response resp;
      TETHER_RETURN_IF_ERROR(ParseFrame(*frame, &resp, "response"));
      return resp;
    }
    char buf[65536];
    ssize_t n = ::read(fd_.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return base::Status::Io("read", errno);
    if (n == 0) return base::Status::Unavailable("closed");
    reader_.Append(buf, static_cast<size_t>(n));
  }
}

std::vector<pb::Response> TestClient::RecvAll() {
  std::vector<pb::Response> out;
  for (;;) {
    base::Result<pb::Response> r = Recv();
    if (!r.ok()) return out;
    out.push_back(std::move(*r));
  }
}

void TestClient::ShrinkReceiveBuffer() {
  int size = 4096;
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

std::vector<pb::Response> RunCommand(const std::string& socket_path,
                                     const pb::Request& req) {
  TestClient c;
  if (!c.Connect(socket_path).ok() || !c.Send(req).ok()) return {};
  return c.RecvAll();
}

std::string OutputOf(const std::vector<pb::Response>& responses) {
  std::string out;
  for (const pb::Response& r : responses) {
    if (r.has_output()) out += r.output().data();
  }
  return out;
}

}  // namespace testing
}  // namespace endpoint
}  // namespace attach
