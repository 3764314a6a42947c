// Streamed answers over loopback sockets: head first (docker's wait),
// chunks, back-pressure, and a client that leaves.
#include "http/response_stream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "http/server.h"
#include "http/test_client.h"
#include "http/test_harness.h"

namespace http {
namespace {

ResponseHead Json() {
  ResponseHead head;
  head.content_type = "application/json";
  return head;
}

// POST /containers/X/wait: the CLI needs the 200 head before anything
// happens, the body comes when the container exits.
TEST(ResponseStream, SendsTheHeadAtOnceAndTheBodyLater) {
  Harness h;
  std::atomic<bool> head_seen{false};
  uv_loop_t* loop = h.loop();
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        auto stream = ex->StartStream(Json());
        auto poll = std::make_shared<std::function<void()>>();
        *poll = [stream, poll, &head_seen, loop] {
          if (!head_seen) return Defer(loop, 5, *poll);
          stream->Write("{\"StatusCode\":0,");
          stream->Write("\"Error\":null}\n");
          stream->End();
          *poll = nullptr;
        };
        Defer(loop, 0, *poll);
      },
      [&](uint16_t port) {
        TestClient c(port);
        c.Send(
            "POST /containers/x/wait?condition=next-exit HTTP/1.1\r\n"
            "Content-Length: 0\r\n\r\n");
        TestResponse r = c.ReadHead();
        EXPECT_EQ(r.status, 200);
        EXPECT_TRUE(r.HasHeader("Content-Type: application/json")) << r.head;
        EXPECT_TRUE(r.HasHeader("Transfer-Encoding: chunked")) << r.head;
        head_seen = true;
        const std::string first = "10\r\n{\"StatusCode\":0,\r\n";
        const std::string rest = "e\r\n\"Error\":null}\n\r\n0\r\n\r\n";
        EXPECT_EQ(c.ReadExactly(first.size()), first);
        EXPECT_EQ(c.ReadExactly(rest.size()), rest);
        // The connection is still good for another request.
        c.Send("POST /containers/x/wait HTTP/1.1\r\n\r\n");
        head_seen = true;
        EXPECT_EQ(c.ReadResponse().body, "{\"StatusCode\":0,\"Error\":null}\n");
      });
}

TEST(ResponseStream, BackPressureAndKnownLengths) {
  Harness h;
  const size_t kTotal = 32 << 20, kPiece = 256 << 10;
  const size_t kHigh = 1 << 20, kLow = 256 << 10;
  size_t written = 0, max_queued = 0;
  int drains = 0;
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        auto stream = ex->StartStream(ResponseHead(), kTotal);
        auto pump = std::make_shared<std::function<void()>>();
        *pump = [&, stream] {
          while (written < kTotal && stream->queued() < kHigh) {
            stream->Write(std::string(kPiece, 'z'));
            written += kPiece;
          }
          max_queued = std::max(max_queued, stream->queued());
          if (written == kTotal) stream->End();
        };
        stream->OnDrain(kLow, [&, pump] {
          ++drains;
          (*pump)();
        });
        (*pump)();
      },
      [&](uint16_t port) {
        TestClient c(port);
        c.Send("GET /logs HTTP/1.1\r\n\r\n");
        TestResponse head = c.ReadHead();
        EXPECT_TRUE(head.HasHeader("Content-Length: " + std::to_string(kTotal)))
            << head.head;
        usleep(100000);  // Let the server hit its high mark.
        EXPECT_EQ(c.ReadExactly(kTotal).size(), kTotal);
      });
  EXPECT_EQ(written, kTotal);
  EXPECT_GT(drains, 0);
  EXPECT_LT(max_queued, kHigh + kPiece);
  ASSERT_EQ(h.access.size(), 1u);
  EXPECT_EQ(h.access[0].bytes_sent, kTotal);
}

TEST(ResponseStream, TellsTheHandlerWhenTheClientLeaves) {
  Harness h;
  base::Status closed = base::Status::Ok();
  int closes = 0;
  std::shared_ptr<ResponseStream> kept;
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        kept = ex->StartStream(Json());
        kept->OnClose([&](const base::Status& s) {
          ++closes;
          closed = s;
        });
      },
      [&](uint16_t port) {
        TestClient c(port);
        c.Send("POST /containers/x/wait HTTP/1.1\r\n\r\n");
        EXPECT_EQ(c.ReadHead().status, 200);
        // `docker run -d` exits and leaves its wait behind.
      });
  EXPECT_EQ(closes, 1);
  EXPECT_FALSE(closed.ok());
  EXPECT_FALSE(kept->open());
  kept->Write("late");  // Harmless.
  ASSERT_EQ(h.access.size(), 1u);
  EXPECT_EQ(h.access[0].status, 200);
}

TEST(ResponseStream, Http10BodiesEndWithTheConnection) {
  Harness h;
  h.Run(
      [](std::shared_ptr<Exchange> ex) {
        auto s = ex->StartStream(ResponseHead());
        s->Write("one ");
        s->Write("two");
        s->End();
      },
      [](uint16_t port) {
        TestClient c(port);
        c.Send("GET /x HTTP/1.0\r\n\r\n");
        TestResponse r = c.ReadResponse();
        EXPECT_TRUE(r.head.rfind("HTTP/1.0 200 OK\r\n", 0) == 0) << r.head;
        EXPECT_EQ(r.body, "one two");
      });
}

}  // namespace
}  // namespace http
