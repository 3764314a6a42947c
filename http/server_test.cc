// The server's request cycle over loopback sockets: parsing, keep-alive,
// pipelining, limits, timeouts, connection bounds and the access log.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "http/test_client.h"
#include "http/test_harness.h"

namespace http {
namespace {

// Answers "/later" from a timer and everything else at once, with the
// method, path, query and body.
Handler EchoHandler(uv_loop_t* loop, std::atomic<int>* served = nullptr) {
  return [loop, served](std::shared_ptr<Exchange> ex) {
    if (served) ++*served;
    ex->ReadBody(1024, [loop, ex](const base::Status& s) {
      if (!s.ok()) return;
      const Request& r = ex->request();
      std::string text =
          r.method + " " + r.path + " ?" + r.query + " " + r.body;
      if (r.path == "/later") {
        Defer(loop, 50, [ex] { ex->Respond(Response::Text(200, "later")); });
        return;
      }
      ex->Respond(Response::Text(200, text));
    });
  };
}

TEST(Server, KeepsConnectionsAliveAndAnswersPipelinedInOrder) {
  Harness h;
  h.Run(EchoHandler(h.loop()), [](uint16_t port) {
    TestClient c(port);
    ASSERT_TRUE(c.connected());
    c.Send("GET /echo1?a=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    TestResponse r = c.ReadResponse();
    EXPECT_EQ(r.status, 200) << r.head;
    EXPECT_EQ(r.body, "GET /echo1 ?a=1 ");
    // Two at once, the first deferred: answers keep request order.
    c.Send(
        "GET /later HTTP/1.1\r\n\r\nPOST /echo2 HTTP/1.1\r\n"
        "Content-Length: 3\r\n\r\nabc");
    EXPECT_EQ(c.ReadResponse().body, "later");
    EXPECT_EQ(c.ReadResponse().body, "POST /echo2 ? abc");
    c.Send("GET /bye HTTP/1.1\r\nConnection: close\r\n\r\n");
    r = c.ReadResponse();
    EXPECT_TRUE(r.HasHeader("Connection: close")) << r.head;
    EXPECT_TRUE(c.AtEof());
  });
  ASSERT_EQ(h.access.size(), 4u);
  EXPECT_EQ(h.access[0].method, "GET");
  EXPECT_EQ(h.access[0].target, "/echo1?a=1");
  EXPECT_EQ(h.access[0].status, 200);
  EXPECT_EQ(h.access[0].peer.address.rfind("127.0.0.1:", 0), 0u);
  EXPECT_TRUE(h.access[0].peer.client_subject.empty());
  EXPECT_EQ(h.access[2].bytes_sent, 17u);
}

TEST(Server, HandsOverRequestFields) {
  Harness h;
  Request seen;
  Peer peer;
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        seen = ex->request();
        peer = ex->peer();
        ex->Respond(Response::Text(204, ""));
      },
      [](uint16_t port) {
        TestClient c(port);
        c.Send(
            "DELETE /v1.41/containers/x?force=1#frag HTTP/1.0\r\n"
            "X-Mixed-Case: Value\r\nConnection: keep-alive\r\n\r\n");
        TestResponse r = c.ReadResponse();
        EXPECT_EQ(r.status, 204);
        EXPECT_EQ(r.head.find("Content-Length"), std::string::npos);
        EXPECT_TRUE(r.HasHeader("Connection: keep-alive")) << r.head;
      });
  EXPECT_EQ(seen.method, "DELETE");
  EXPECT_EQ(seen.target, "/v1.41/containers/x?force=1#frag");
  EXPECT_EQ(seen.path, "/v1.41/containers/x");
  EXPECT_EQ(seen.query, "force=1");
  EXPECT_EQ(seen.version_minor, 0);
  EXPECT_TRUE(seen.keep_alive);
  ASSERT_NE(seen.Header("x-mixed-case"), nullptr);
  EXPECT_EQ(*seen.Header("x-mixed-case"), "Value");
  EXPECT_EQ(peer.address.rfind("127.0.0.1:", 0), 0u);
}

TEST(Server, HeadGetsTheLengthWithoutTheBody) {
  Harness h;
  h.Run(
      [](std::shared_ptr<Exchange> ex) {
        ex->Respond(Response::Text(200, "twelve bytes"));
      },
      [](uint16_t port) {
        TestClient c(port);
        c.Send("HEAD /_ping HTTP/1.1\r\n\r\nGET /_ping HTTP/1.1\r\n\r\n");
        TestResponse r = c.ReadResponse(true);
        EXPECT_TRUE(r.HasHeader("Content-Length: 12")) << r.head;
        // The next answer follows at once: no body came between.
        r = c.ReadResponse();
        EXPECT_EQ(r.body, "twelve bytes");
      });
}

TEST(Server, BadInputGets4xxAndTheServerCarriesOn) {
  Harness h;
  h.options.limits.max_target = 64;
  h.options.limits.max_header_bytes = 256;
  h.options.limits.max_headers = 4;
  h.Run(EchoHandler(h.loop()), [](uint16_t port) {
    struct Case {
      std::string input;
      int status;
    };
    const Case cases[] = {
        {"BLAH\x01\x02\r\n\r\n", 400},
        {"GET /" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n", 414},
        {"GET / HTTP/1.1\r\nX: " + std::string(300, 'v') + "\r\n\r\n", 431},
        {"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n", 431},
        {"GET / HTTP/2.0\r\n\r\n", 505},
        {"CONNECT a:1 HTTP/1.1\r\n\r\n", 400},
        {"GET http://x/ HTTP/1.1\r\n\r\n", 400},
        {"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: "
         "chunked\r\n\r\n",
         400},
    };
    for (const Case& k : cases) {
      TestClient c(port);
      c.Send(k.input);
      TestResponse r = c.ReadResponse();
      EXPECT_EQ(r.status, k.status) << k.input << "\n" << r.head;
      EXPECT_TRUE(r.HasHeader("Connection: close")) << r.head;
      EXPECT_TRUE(c.AtEof());
    }
    TestClient good(port);
    good.Send("GET /still HTTP/1.1\r\n\r\n");
    EXPECT_EQ(good.ReadResponse().body, "GET /still ? ");
  });
}

TEST(Server, SlowHeadersGet408AndIdleConnectionsClose) {
  Harness h;
  h.options.timeouts.header_ms = 200;
  h.options.timeouts.idle_ms = 200;
  h.Run(EchoHandler(h.loop()), [](uint16_t port) {
    TestClient slow(port);
    slow.Send("GET /partial HTTP/1.1\r\n");
    // Trickling bytes does not move a deadline.
    for (int i = 0; i < 3; ++i) {
      usleep(50000);
      slow.Send("X: y\r\n");
    }
    EXPECT_EQ(slow.ReadResponse().status, 408);
    TestClient idle(port);
    idle.Send("GET / HTTP/1.1\r\n\r\n");
    EXPECT_EQ(idle.ReadResponse().status, 200);
    EXPECT_TRUE(idle.AtEof());  // Within idle_ms.
  });
}

TEST(Server, AnswersWhatArrivedBeforeTheClientHalfClosed) {
  Harness h;
  h.Run(EchoHandler(h.loop()), [](uint16_t port) {
    TestClient c(port);
    c.Send("GET /later HTTP/1.1\r\n\r\nGET /two HTTP/1.1\r\n\r\n");
    c.ShutdownWrite();
    EXPECT_EQ(c.ReadResponse().body, "later");
    EXPECT_EQ(c.ReadResponse().body, "GET /two ? ");
    EXPECT_TRUE(c.AtEof());
  });
}

TEST(Server, RefusesConnectionsBeyondTheBound) {
  Harness h;
  h.options.max_connections = 2;
  h.Run(EchoHandler(h.loop()), [](uint16_t port) {
    TestClient a(port), b(port);
    a.Send("GET /a HTTP/1.1\r\n\r\n");
    b.Send("GET /b HTTP/1.1\r\n\r\n");
    EXPECT_EQ(a.ReadResponse().status, 200);
    EXPECT_EQ(b.ReadResponse().status, 200);
    TestClient c(port);
    c.Send("GET /c HTTP/1.1\r\n\r\n");
    EXPECT_EQ(c.ReadResponse().status, 503);
    EXPECT_TRUE(c.AtEof());
  });
}

TEST(Server, ListensOnIpv6) {
  Harness h;
  h.Run(
      EchoHandler(h.loop()),
      [](uint16_t port) {
        TestClient c(port, true);
        ASSERT_TRUE(c.connected());
        c.Send("GET /six HTTP/1.1\r\n\r\n");
        EXPECT_EQ(c.ReadResponse().body, "GET /six ? ");
      },
      "[::1]:0");
  ASSERT_EQ(h.access.size(), 1u);
  EXPECT_EQ(h.access[0].peer.address.rfind("[::1]:", 0), 0u);
}

// A client that pipelines and never reads gets nothing more than what
// fits in the sockets: the server parses the next request only once the
// previous answer is written out.
TEST(Server, PipeliningClientThatDoesNotReadIsNotServedAhead) {
  Harness h;
  std::atomic<int> served{0};
  const std::string big(256 * 1024, 'x');
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        ++served;
        ex->Respond(Response::Text(200, big));
      },
      [&](uint16_t port) {
        TestClient c(port);
        std::string many;
        for (int i = 0; i < 500; ++i) many += "GET /big HTTP/1.1\r\n\r\n";
        c.Send(many);
        usleep(300000);
        int stalled = served.load();
        EXPECT_LT(stalled, 100);  // Socket buffers hold a few MB at most.
        for (int i = 0; i < 500; ++i) {
          ASSERT_EQ(c.ReadResponse().body.size(), big.size()) << i;
        }
        EXPECT_EQ(served.load(), 500);
      });
}

TEST(Server, RejectsBadListenAddresses) {
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  {
    Server s(&loop, [](std::shared_ptr<Exchange>) {});
    EXPECT_EQ(s.Listen("localhost:6060").code(),
              base::Status::Code::kInvalidArgument);
    EXPECT_EQ(s.Listen("127.0.0.1").code(),
              base::Status::Code::kInvalidArgument);
    EXPECT_EQ(s.Listen("::1:80").code(), base::Status::Code::kInvalidArgument);
    EXPECT_EQ(s.Listen("127.0.0.1:99999").code(),
              base::Status::Code::kInvalidArgument);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  auto a = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->loopback);
  a = ParseListenAddress("192.0.2.1:6060");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->loopback);
}

}  // namespace
}  // namespace http
