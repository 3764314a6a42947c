// Request bodies over loopback sockets: buffered with a limit, streamed
// with back-pressure, drained when unread, and their timeouts.
#include <gtest/gtest.h>

#include <string>

#include "http/server.h"
#include "http/test_client.h"
#include "http/test_harness.h"

namespace http {
namespace {

std::string Chunked(const std::string& data, size_t piece) {
  std::string out;
  char line[32];
  for (size_t off = 0; off < data.size(); off += piece) {
    size_t n = std::min(piece, data.size() - off);
    snprintf(line, sizeof(line), "%zx\r\n", n);
    out += line + data.substr(off, n) + "\r\n";
  }
  return out + "0\r\n\r\n";
}

Handler BufferedEcho(size_t limit, std::vector<base::Status>* errors) {
  return [limit, errors](std::shared_ptr<Exchange> ex) {
    ex->ReadBody(limit, [ex, errors](const base::Status& s) {
      if (!s.ok()) {
        errors->push_back(s);
        return;
      }
      ex->Respond(Response::Text(200, ex->request().body));
    });
  };
}

TEST(Body, BufferedBodiesArriveWhole) {
  Harness h;
  std::vector<base::Status> errors;
  h.Run(BufferedEcho(1 << 20, &errors), [](uint16_t port) {
    TestClient c(port);
    std::string data(300000, 'a');
    c.Send("POST /x HTTP/1.1\r\nContent-Length: 300000\r\n\r\n" + data);
    EXPECT_EQ(c.ReadResponse().body, data);
    c.Send("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
           Chunked("hello chunked world", 5));
    EXPECT_EQ(c.ReadResponse().body, "hello chunked world");
    // Expect: 100-continue gets its interim answer first.
    c.Send(
        "PUT /x HTTP/1.1\r\nContent-Length: 2\r\n"
        "Expect: 100-continue\r\n\r\n");
    EXPECT_EQ(c.ReadHead().status, 100);
    c.Send("ok");
    EXPECT_EQ(c.ReadResponse().body, "ok");
  });
  EXPECT_TRUE(errors.empty());
}

TEST(Body, BufferedBodiesOverTheLimitGet413) {
  Harness h;
  std::vector<base::Status> errors;
  h.Run(BufferedEcho(16, &errors), [](uint16_t port) {
    TestClient c(port);
    c.Send("POST /x HTTP/1.1\r\nContent-Length: 17\r\n\r\n");
    EXPECT_EQ(c.ReadResponse().status, 413);
    EXPECT_TRUE(c.AtEof());
    TestClient d(port);
    d.Send("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
           Chunked(std::string(40, 'x'), 10));
    EXPECT_EQ(d.ReadResponse().status, 413);
    EXPECT_TRUE(d.AtEof());
  });
  EXPECT_EQ(errors.size(), 2u);
}

TEST(Body, UnreadBodiesAreDrainedAndTheConnectionKeptAlive) {
  Harness h;
  h.Run(
      [](std::shared_ptr<Exchange> ex) {
        ex->Respond(Response::Text(404, "no " + ex->request().path));
      },
      [](uint16_t port) {
        TestClient c(port);
        c.Send(
            "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
            "GET /b HTTP/1.1\r\n\r\n");
        EXPECT_EQ(c.ReadResponse().body, "no /a");
        EXPECT_EQ(c.ReadResponse().body, "no /b");
        // Too big to drain: answered, then closed.
        c.Send("POST /c HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n");
        TestResponse r = c.ReadResponse();
        EXPECT_EQ(r.body, "no /c");
        EXPECT_TRUE(r.HasHeader("Connection: close"));
      });
}

// A multi-MB chunked upload, streamed with pauses, as `docker load` sends.
TEST(Body, StreamedBodiesArriveInPiecesWithBackPressure) {
  Harness h;
  const size_t kSize = 8 << 20;
  std::string data(kSize, '\0');
  for (size_t i = 0; i < kSize; ++i) data[i] = static_cast<char>(i * 7);
  std::string got;
  int pieces = 0;
  bool delivered_while_paused = false;
  bool paused = false;
  uv_loop_t* loop = h.loop();
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        BodySink sink;
        sink.on_data = [&, ex](std::string_view piece) {
          if (paused) delivered_while_paused = true;
          got.append(piece);
          if (++pieces % 16 == 0) {
            paused = true;
            ex->PauseBody();
            Defer(loop, 5, [&, ex] {
              paused = false;
              ex->ResumeBody();
            });
          }
        };
        sink.on_end = [&, ex](const base::Status& s) {
          EXPECT_TRUE(s.ok()) << s.ToString();
          ex->Respond(Response::Text(200, std::to_string(got.size())));
        };
        ex->StreamBody(std::move(sink));
      },
      [&](uint16_t port) {
        TestClient c(port);
        c.Send(
            "POST /images/load HTTP/1.1\r\n"
            "Transfer-Encoding: chunked\r\n\r\n" +
            Chunked(data, 32768));
        EXPECT_EQ(c.ReadResponse().body, std::to_string(kSize));
      });
  EXPECT_TRUE(got == data);
  EXPECT_GT(pieces, 16);
  EXPECT_FALSE(delivered_while_paused);
}

TEST(Body, SlowBodiesTimeOut) {
  Harness h;
  h.options.timeouts.body_ms = 200;
  h.options.timeouts.body_idle_ms = 200;
  std::vector<base::Status> errors;
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        if (ex->request().path == "/buffered") {
          ex->ReadBody(1024,
                       [&](const base::Status& s) { errors.push_back(s); });
          return;
        }
        BodySink sink;
        sink.on_end = [&](const base::Status& s) { errors.push_back(s); };
        ex->StreamBody(std::move(sink));
      },
      [](uint16_t port) {
        TestClient a(port);
        a.Send("POST /buffered HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        EXPECT_EQ(a.ReadResponse().status, 408);
        TestClient b(port);
        b.Send("POST /streamed HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        EXPECT_EQ(b.ReadResponse().status, 408);
      });
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_FALSE(errors[0].ok());
  EXPECT_FALSE(errors[1].ok());
}

}  // namespace
}  // namespace http
