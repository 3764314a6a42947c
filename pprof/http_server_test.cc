#include "pprof/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "http/test_harness.h"

namespace pprof {
namespace {

// Answers "/echo..." at once with the path, and "/later" from a timer, so
// both synchronous and deferred answers are exercised.
class TestHandler : public Handler {
 public:
  explicit TestHandler(uv_loop_t* loop) : loop_(loop) {}
  void Serve(HttpRequest req, Responder respond) override {
    ++served;
    if (req.path == "/later") {
      pending_ = std::move(respond);
      uv_timer_init(loop_, timer_.get());
      timer_.MarkInitialized();
      timer_->data = this;
      uv_timer_start(timer_.get(), &TestHandler::OnTimer, 50, 0);
      return;
    }
    respond(HttpResponse::Text(req.method + " " + req.path + " " + req.body));
  }
  int served = 0;

 private:
  static void OnTimer(uv_timer_t* t) noexcept {
    auto* self = static_cast<TestHandler*>(t->data);
    self->pending_(HttpResponse::Text("later"));
    self->timer_.Close();
  }
  uv_loop_t* loop_;
  Responder pending_;
  base::UvHandle<uv_timer_t> timer_;
};

// A blocking client on its own thread; the test thread runs the loop.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ =
        ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& s) {
    ASSERT_EQ(::write(fd_, s.data(), s.size()), static_cast<ssize_t>(s.size()));
  }
  // Reads one response (headers plus Content-Length bytes); "" on EOF.
  std::string ReadResponse() {
    for (;;) {
      size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = buf_.find("Content-Length: ");
        size_t len = cl < end ? std::stoul(buf_.substr(cl + 16)) : 0;
        if (buf_.size() >= end + 4 + len) {
          std::string r = buf_.substr(0, end + 4 + len);
          buf_.erase(0, end + 4 + len);
          return r;
        }
      }
      char tmp[4096];
      ssize_t n = ::read(fd_, tmp, sizeof(tmp));
      if (n <= 0) return "";
      buf_.append(tmp, static_cast<size_t>(n));
    }
  }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }
  bool AtEof() {
    char c;
    return buf_.empty() && ::read(fd_, &c, 1) == 0;
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string buf_;
};

// Runs `client` on a thread while the loop serves; then closes all.
void RunWithClient(const std::function<void(HttpServer&)>& setup,
                   const std::function<void(uint16_t)>& client,
                   TestHandler** handler_out = nullptr) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  {
    TestHandler handler(&loop);
    if (handler_out) *handler_out = &handler;
    ServerOptions opts;
    opts.max_body = 1024;
    opts.request_timeout_ms = 300;
    HttpServer server(&loop, &handler, opts);
    setup(server);
    ASSERT_NE(server.port(), 0);
    http::RunWithClientThread(
        &loop, server.port(), [&] { server.Close(); }, client);
    if (handler_out) *handler_out = nullptr;
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

void Listen(HttpServer& s) { ASSERT_TRUE(s.Listen("127.0.0.1:0").ok()); }

TEST(HttpServer, KeepsConnectionsAliveAndAnswersPipelinedInOrder) {
  RunWithClient(Listen, [](uint16_t port) {
    Client c(port);
    ASSERT_TRUE(c.connected());
    c.Send("GET /echo1 HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string r = c.ReadResponse();
    EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << r;
    EXPECT_NE(r.find("GET /echo1"), std::string::npos);
    // Two at once, the first deferred: answers keep request order.
    c.Send(
        "GET /later HTTP/1.1\r\n\r\nPOST /echo2 HTTP/1.1\r\n"
        "Content-Length: 3\r\n\r\nabc");
    EXPECT_NE(c.ReadResponse().find("later"), std::string::npos);
    EXPECT_NE(c.ReadResponse().find("POST /echo2 abc"), std::string::npos);
    c.Send("GET /bye HTTP/1.1\r\nConnection: close\r\n\r\n");
    r = c.ReadResponse();
    EXPECT_NE(r.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(c.AtEof());
  });
}

TEST(HttpServer, MalformedRequestsGet400AndTheServerCarriesOn) {
  RunWithClient(Listen, [](uint16_t port) {
    {
      Client bad(port);
      bad.Send("BLAH\x01\x02\r\n\r\n");
      std::string r = bad.ReadResponse();
      EXPECT_EQ(r.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << r;
      EXPECT_NE(r.find("malformed request"), std::string::npos);
      EXPECT_TRUE(bad.AtEof());
    }
    {
      Client big(port);
      big.Send("POST /x HTTP/1.1\r\nContent-Length: 99999\r\n\r\n");
      EXPECT_EQ(big.ReadResponse().rfind("HTTP/1.1 413", 0), 0u);
    }
    {
      Client slow(port);  // Never finishes its request.
      slow.Send("GET /partial HTTP/1.1\r\n");
      EXPECT_EQ(slow.ReadResponse().rfind("HTTP/1.1 408", 0), 0u);
    }
    Client good(port);
    good.Send("GET /still HTTP/1.1\r\n\r\n");
    EXPECT_NE(good.ReadResponse().find("GET /still"), std::string::npos);
  });
}

TEST(HttpServer, AnswersWhatArrivedBeforeTheClientHalfClosed) {
  RunWithClient(Listen, [](uint16_t port) {
    Client c(port);
    c.Send("GET /later HTTP/1.1\r\n\r\n");
    c.ShutdownWrite();
    EXPECT_NE(c.ReadResponse().find("later"), std::string::npos);
    EXPECT_TRUE(c.AtEof());
  });
}

TEST(HttpServer, RejectsBadListenAddresses) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    TestHandler h(&loop);
    HttpServer s(&loop, &h);
    EXPECT_EQ(s.Listen("localhost:6060").code(),
              base::Status::Code::kInvalidArgument);
    EXPECT_EQ(s.Listen("127.0.0.1").code(),
              base::Status::Code::kInvalidArgument);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace pprof
