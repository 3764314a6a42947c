// Hijacked connections over loopback sockets, the way docker attach and
// exec use them: 101 head, bytes sent with the request, half-close.
#include "http/hijacked_stream.h"

#include <gtest/gtest.h>

#include <string>

#include "http/server.h"
#include "http/test_client.h"
#include "http/test_harness.h"

namespace http {
namespace {

ResponseHead Upgraded() {
  ResponseHead head;
  head.status = 101;
  head.reason = "UPGRADED";
  head.content_type = "application/vnd.docker.raw-stream";
  head.headers = {{"Connection", "Upgrade"}, {"Upgrade", "tcp"}};
  return head;
}

const char kUpgradedHead[] =
    "HTTP/1.1 101 UPGRADED\r\n"
    "Content-Type: application/vnd.docker.raw-stream\r\n"
    "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

// Echoes input uppercased; on the client's EOF writes "bye" and closes,
// like a container whose stdin ended and who then exits.
Handler ExecStart(std::string* body, std::string* input) {
  return [body, input](std::shared_ptr<Exchange> ex) {
    ex->ReadBody(1024, [ex, body, input](const base::Status& s) {
      ASSERT_TRUE(s.ok());
      *body = ex->request().body;
      std::shared_ptr<HijackedStream> stream = ex->Hijack(Upgraded());
      HijackedStream* raw = stream.get();
      HijackedStream::Callbacks cb;
      cb.on_data = [raw, input](std::string_view data) {
        input->append(data);
        std::string up(data);
        for (char& c : up) c = static_cast<char>(std::toupper(c));
        raw->Write(up);
      };
      cb.on_read_eof = [raw] {
        raw->Write("bye");
        raw->Close();
      };
      cb.on_close = [](const base::Status& s) {
        ADD_FAILURE() << "unexpected close: " << s.ToString();
      };
      stream->Start(std::move(cb));
    });
  };
}

TEST(Hijack, KeepsBytesSentWithTheRequestAndWritesAfterHalfClose) {
  Harness h;
  std::string body, input;
  h.Run(ExecStart(&body, &input), [](uint16_t port) {
    TestClient c(port);
    // One write: the request, its JSON body and the first stdin bytes.
    c.Send(
        "POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: x\r\n"
        "Connection: Upgrade\r\nUpgrade: tcp\r\n"
        "Content-Type: application/json\r\nContent-Length: 28\r\n\r\n"
        "{\"Detach\":false,\"Tty\":false}early ");
    EXPECT_EQ(c.ReadExactly(sizeof(kUpgradedHead) - 1), kUpgradedHead);
    EXPECT_EQ(c.ReadExactly(6), "EARLY ");
    c.Send("late");
    EXPECT_EQ(c.ReadExactly(4), "LATE");
    c.ShutdownWrite();  // docker's CloseWrite: stdin ended.
    EXPECT_EQ(c.ReadToEof(), "bye");
  });
  EXPECT_EQ(body, "{\"Detach\":false,\"Tty\":false}");
  EXPECT_EQ(input, "early late");
  ASSERT_EQ(h.access.size(), 1u);
  EXPECT_TRUE(h.access[0].hijacked);
  EXPECT_EQ(h.access[0].status, 101);
  EXPECT_EQ(h.access[0].bytes_sent, 13u);
}

TEST(Hijack, AttachWithoutBodyAndInputBeforeStart) {
  Harness h;
  std::string body, input;
  h.Run(ExecStart(&body, &input), [](uint16_t port) {
    TestClient c(port);
    c.Send(
        "POST /containers/x/attach?stream=1&stdin=1 HTTP/1.1\r\n"
        "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n"
        "abc");
    c.ShutdownWrite();  // Input and EOF both before the hijack.
    EXPECT_EQ(c.ReadToEof(), std::string(kUpgradedHead) + "ABCbye");
  });
  EXPECT_EQ(input, "abc");
}

// Hijacks every request and counts how often the stream dies on its own.
Handler CountCloses(int* closes, base::Status* last) {
  return [closes, last](std::shared_ptr<Exchange> ex) {
    auto stream = ex->Hijack(Upgraded());
    HijackedStream::Callbacks cb;
    cb.on_close = [closes, last](const base::Status& s) {
      ++*closes;
      *last = s;
    };
    stream->Start(std::move(cb));
  };
}

void AttachAndRead(TestClient& c) {
  c.Send(
      "POST /containers/x/attach HTTP/1.1\r\nConnection: Upgrade\r\n"
      "Upgrade: tcp\r\n\r\n");
  EXPECT_EQ(c.ReadExactly(sizeof(kUpgradedHead) - 1), kUpgradedHead);
}

TEST(Hijack, ReportsAClientThatResets) {
  Harness h;
  int closes = 0;
  base::Status last;
  h.Run(CountCloses(&closes, &last), [](uint16_t port) {
    TestClient c(port);
    AttachAndRead(c);
    c.Reset();
    usleep(100000);
  });
  EXPECT_EQ(closes, 1);
  EXPECT_FALSE(last.ok());
}

TEST(Hijack, ServerCloseEndsHijackedStreams) {
  Harness h;
  int closes = 0;
  base::Status last;
  h.Run(CountCloses(&closes, &last), [](uint16_t port) {
    TestClient c(port);
    AttachAndRead(c);
  });
  EXPECT_EQ(closes, 1);  // The harness closed the server.
  EXPECT_EQ(last.code(), base::Status::Code::kUnavailable);
}

TEST(Hijack, RefusedWhileTheBodyIsUnread) {
  Harness h;
  bool open = true;
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        open = ex->Hijack(Upgraded())->open();
      },
      [](uint16_t port) {
        TestClient c(port);
        c.Send(
            "POST /exec/x/start HTTP/1.1\r\nConnection: Upgrade\r\n"
            "Upgrade: tcp\r\nContent-Length: 2\r\n\r\n{}");
        EXPECT_EQ(c.ReadResponse().status, 500);
      });
  EXPECT_FALSE(open);
}

}  // namespace
}  // namespace http
