// TLS over loopback sockets with a throw-away PKI: requests, client
// certificates, a hijack whose client half-closes with close_notify, and
// plain HTTP on the TLS port.
#include "http/tls_transport.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "http/server.h"
#include "http/test_harness.h"
#include "http/tls_test_pki.h"

namespace http {
namespace {

class Tls : public testing::Test {
 protected:
  // Serves TLS with the test PKI's server certificate; `verify` requires
  // a client certificate signed by its CA.
  void Serve(bool verify, uint64_t handshake_ms = 10000) {
    TlsOptions tls;
    tls.handshake_timeout_ms = handshake_ms;
    h.options.wrap_transport =
        TlsWrapper(h.loop(), pki.ServerContext(verify), tls);
    h.options.tls_failure = [this](const std::string& peer,
                                   const std::string& reason) {
      failures.emplace_back(peer, reason);
    };
  }

  TestPki pki;
  Harness h;
  std::vector<std::pair<std::string, std::string>> failures;
};

Handler WhoAmI() {
  return [](std::shared_ptr<Exchange> ex) {
    ex->ReadBody(1 << 20, [ex](const base::Status&) {
      ex->Respond(Response::Text(
          200, "[" + ex->peer().client_subject + "] " + ex->request().body));
    });
  };
}

TEST_F(Tls, ServesRequestsAndNamesTheClientCertificate) {
  Serve(true);
  SslCtxPtr client_ctx = pki.NewClientContext(true);
  h.Run(WhoAmI(), [&](uint16_t port) {
    TlsTestClient c(port, client_ctx.get());
    ASSERT_TRUE(c.handshake_ok());
    std::string big(200000, 'b');  // Many records each way.
    c.Send("POST /x HTTP/1.1\r\nContent-Length: 200000\r\n\r\n" + big);
    TestResponse r = c.ReadResponse();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "[CN=test-client,O=Tether tests] " + big);
    c.Send("GET /again HTTP/1.1\r\n\r\n");
    EXPECT_EQ(c.ReadResponse().status, 200);
  });
  EXPECT_TRUE(failures.empty());
  ASSERT_EQ(h.access.size(), 2u);
  EXPECT_EQ(h.access[0].peer.client_subject, "CN=test-client,O=Tether tests");
}

TEST_F(Tls, RefusesClientsWithoutACertificateInVerifyMode) {
  Serve(true);
  SslCtxPtr client_ctx = pki.NewClientContext(false);
  int served = 0;
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        ++served;
        ex->Respond(Response::Text(200, "no"));
      },
      [&](uint16_t port) {
        TlsTestClient c(port, client_ctx.get());
        // TLS 1.3 clients learn of the refusal on their first read.
        c.Send("GET / HTTP/1.1\r\n\r\n");
        EXPECT_FALSE(c.ReadResponse().ok());
      });
  EXPECT_EQ(served, 0);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].first.rfind("127.0.0.1:", 0), 0u);
  EXPECT_NE(failures[0].second.find("certificate"), std::string::npos)
      << failures[0].second;
}

TEST_F(Tls, ServerOnlyModeHasNoClientSubject) {
  Serve(false);
  SslCtxPtr client_ctx = pki.NewClientContext(false);
  h.Run(WhoAmI(), [&](uint16_t port) {
    TlsTestClient c(port, client_ctx.get());
    ASSERT_TRUE(c.handshake_ok());
    c.Send("GET / HTTP/1.1\r\n\r\n");
    EXPECT_EQ(c.ReadResponse().body, "[] ");
  });
}

TEST_F(Tls, PlainHttpOnTheTlsPortGetsGosAnswer) {
  Serve(true);
  h.Run(WhoAmI(), [](uint16_t port) {
    TestClient c(port);
    c.Send("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.ReadToEof(),
              "HTTP/1.0 400 Bad Request\r\n\r\n"
              "Client sent an HTTP request to an HTTPS server.\n");
  });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].second.find("HTTP request to an HTTPS server"),
            std::string::npos);
}

TEST_F(Tls, SilentClientsTimeOutInTheHandshake) {
  Serve(true, 100);
  h.Run(WhoAmI(), [](uint16_t port) {
    TestClient c(port);
    EXPECT_TRUE(c.AtEof());
  });
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].second, "handshake timed out");
}

// `echo x | docker exec -i` over TLS: the CLI's CloseWrite sends only a
// close_notify; the output written after it must still arrive.
TEST_F(Tls, HijackedStreamHalfClosesWithCloseNotify) {
  Serve(true);
  SslCtxPtr client_ctx = pki.NewClientContext(true);
  std::string input;
  bool eof = false;
  h.Run(
      [&](std::shared_ptr<Exchange> ex) {
        ResponseHead head;
        head.status = 101;
        head.reason = "UPGRADED";
        head.headers = {{"Connection", "Upgrade"}, {"Upgrade", "tcp"}};
        auto stream = ex->Hijack(head);
        HijackedStream* raw = stream.get();
        HijackedStream::Callbacks cb;
        cb.on_data = [&](std::string_view d) { input.append(d); };
        cb.on_read_eof = [&, raw] {
          eof = true;
          raw->Write("output after stdin ended: " + input);
          raw->Close();
        };
        stream->Start(std::move(cb));
      },
      [&](uint16_t port) {
        TlsTestClient c(port, client_ctx.get());
        ASSERT_TRUE(c.handshake_ok());
        c.Send(
            "POST /containers/x/attach?stdin=1 HTTP/1.1\r\n"
            "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nx\n");
        EXPECT_EQ(c.ReadHead().status, 101);
        c.CloseWrite();
        EXPECT_EQ(c.ReadToEof(), "output after stdin ended: x\n");
      });
  EXPECT_TRUE(eof);
  ASSERT_EQ(h.access.size(), 1u);
  EXPECT_TRUE(h.access[0].hijacked);
  EXPECT_EQ(h.access[0].peer.client_subject, "CN=test-client,O=Tether tests");
}

}  // namespace
}  // namespace http
