// Test support: a blocking HTTP client for the server tests. It runs on
// its own thread while the test thread runs the loop (test_harness.h), as
// pprof's server tests always did; no libuv on this side.
#ifndef TETHER_HTTP_TEST_CLIENT_H_
#define TETHER_HTTP_TEST_CLIENT_H_

#include <cstdint>
#include <string>

namespace http {

// A parsed response: head as text, body de-chunked.
struct TestResponse {
  int status = 0;
  std::string head;  // Status line and headers, up to the blank line.
  std::string body;
  bool ok() const { return status != 0; }
  bool HasHeader(const std::string& line) const {
    return head.find(line + "\r\n") != std::string::npos;
  }
};

class TestClient {
 public:
  // Connects to 127.0.0.1:`port` (or ::1 with `ipv6`).
  explicit TestClient(uint16_t port, bool ipv6 = false);
  virtual ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  virtual bool Send(const std::string& bytes);
  // Reads one response; `head_request` for answers to HEAD. status 0 on
  // EOF or error.
  TestResponse ReadResponse(bool head_request = false);
  // Reads just a response head.
  TestResponse ReadHead();
  // Reads until `n` bytes are buffered (or EOF); returns and drops them.
  std::string ReadExactly(size_t n);
  // Reads until EOF; returns everything buffered.
  std::string ReadToEof();
  // Reads until EOF, keeping nothing; returns the byte count.
  size_t CountToEof();
  // True if the server closed the connection (EOF, nothing buffered).
  bool AtEof();
  void ShutdownWrite();
  // Shuts both directions: a read blocked in another thread returns.
  void ShutdownBoth();
  // Closes with a reset (SO_LINGER 0).
  void Reset();

 protected:
  TestClient() = default;
  // Reads more into buf_; false on EOF or error.
  virtual bool Fill();
  // Reads a chunked body into `out`.
  bool ReadChunked(std::string* out);
  bool ReadLine(std::string* line);

  int fd_ = -1;
  std::string buf_;
};

}  // namespace http

#endif  // TETHER_HTTP_TEST_CLIENT_H_
