#include "http/test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace http {

TestClient::TestClient(uint16_t port, bool ipv6) {
  int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
  int rc;
  if (ipv6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_loopback;
    rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  }
  if (rc != 0) {
    ::close(fd);
    fd = -1;
  }
  fd_ = fd;
}

TestClient::~TestClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool TestClient::Send(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n =
        ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool TestClient::Fill() {
  char tmp[65536];
  ssize_t n = ::read(fd_, tmp, sizeof(tmp));
  if (n <= 0) return false;
  buf_.append(tmp, static_cast<size_t>(n));
  return true;
}

bool TestClient::ReadLine(std::string* line) {
  for (;;) {
    size_t end = buf_.find("\r\n");
    if (end != std::string::npos) {
      *line = buf_.substr(0, end);
      buf_.erase(0, end + 2);
      return true;
    }
    if (!Fill()) return false;
  }
}

TestResponse TestClient::ReadHead() {
  TestResponse r;
  size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return r;
  }
  r.head = buf_.substr(0, end + 2);
  buf_.erase(0, end + 4);
  if (r.head.size() > 12) r.status = std::atoi(r.head.c_str() + 9);
  return r;
}

bool TestClient::ReadChunked(std::string* out) {
  for (;;) {
    std::string line;
    if (!ReadLine(&line)) return false;
    size_t size = std::strtoul(line.c_str(), nullptr, 16);
    if (size == 0) return ReadLine(&line);  // The blank line after "0".
    std::string data = ReadExactly(size);
    if (data.size() != size) return false;
    out->append(data);
    if (!ReadLine(&line)) return false;
  }
}

TestResponse TestClient::ReadResponse(bool head_request) {
  TestResponse r = ReadHead();
  if (!r.ok() || head_request || r.status == 204 || r.status == 304 ||
      r.status < 200) {
    return r;
  }
  std::string lower = r.head;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  size_t cl = lower.find("content-length: ");
  if (cl != std::string::npos) {
    size_t len = std::strtoul(lower.c_str() + cl + 16, nullptr, 10);
    r.body = ReadExactly(len);
    if (r.body.size() != len) r.status = 0;
  } else if (lower.find("transfer-encoding: chunked") != std::string::npos) {
    if (!ReadChunked(&r.body)) r.status = 0;
  } else {
    r.body = ReadToEof();
  }
  return r;
}

std::string TestClient::ReadExactly(size_t n) {
  while (buf_.size() < n && Fill()) {
  }
  std::string out = buf_.substr(0, n);
  buf_.erase(0, out.size());
  return out;
}

std::string TestClient::ReadToEof() {
  while (Fill()) {
  }
  std::string out = std::move(buf_);
  buf_.clear();
  return out;
}

size_t TestClient::CountToEof() {
  size_t n = 0;
  do {
    n += buf_.size();
    buf_.clear();
  } while (Fill());
  return n;
}

bool TestClient::AtEof() { return buf_.empty() && !Fill(); }

void TestClient::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

void TestClient::ShutdownBoth() { ::shutdown(fd_, SHUT_RDWR); }

void TestClient::Reset() {
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  ::close(fd_);
  fd_ = -1;
}

}  // namespace http
