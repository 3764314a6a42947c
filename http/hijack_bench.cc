// Throughput of a hijacked stream, server to client (what `docker attach`
// reads), over plain TCP and over TLS, against a unix socketpair moving
// the same bytes between two threads. A benchmark, not a test: run
// build/bin/http_hijack_bench [MiB] by hand; it prints MiB/s and ratios.
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "http/server.h"
#include "http/test_harness.h"
#include "http/tls_test_pki.h"
#include "http/tls_transport.h"

namespace http {
namespace {

// Write size: argv[2] KiB; 32 is what a session's output events are.
size_t g_piece = 256 << 10;
constexpr size_t kHigh = 4 << 20, kLow = 1 << 20;

// Hijacks and writes `total` bytes with back-pressure, then closes.
Handler Source(size_t total) {
  return [total](std::shared_ptr<Exchange> ex) {
    ResponseHead head;
    head.status = 101;
    head.reason = "UPGRADED";
    auto stream = ex->Hijack(head);
    auto sent = std::make_shared<size_t>(0);
    HijackedStream* raw = stream.get();
    auto pump = [raw, sent, total] {
      while (*sent < total && raw->queued() < kHigh) {
        raw->Write(std::string(g_piece, 'x'));
        *sent += g_piece;
      }
      if (*sent >= total) raw->Close();
    };
    stream->OnDrain(kLow, pump);
    stream->Start(HijackedStream::Callbacks());
    pump();
  };
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

// MiB/s through the server; `tls` null for plain TCP.
double ThroughServer(size_t total, const TestPki* tls) {
  Harness h;
  SslCtxPtr client_ctx;
  if (tls != nullptr) {
    h.options.wrap_transport = TlsWrapper(h.loop(), tls->ServerContext(false));
    client_ctx = tls->NewClientContext(false);
  }
  double secs = 0;
  size_t got = 0;
  h.Run(Source(total), [&](uint16_t port) {
    std::unique_ptr<TestClient> c;
    if (client_ctx) {
      c = std::make_unique<TlsTestClient>(port, client_ctx.get());
    } else {
      c = std::make_unique<TestClient>(port);
    }
    auto start = std::chrono::steady_clock::now();
    c->Send(
        "POST /attach HTTP/1.1\r\nConnection: Upgrade\r\n"
        "Upgrade: tcp\r\n\r\n");
    TestResponse head = c->ReadHead();
    got = c->CountToEof();
    secs = Seconds(start);
    if (head.status != 101) got = 0;
  });
  if (got != total) {
    std::fprintf(stderr, "short read: %zu of %zu\n", got, total);
    std::exit(1);
  }
  return total / secs / (1 << 20);
}

double ThroughSocketpair(size_t total) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  auto start = std::chrono::steady_clock::now();
  std::thread writer([&] {
    std::string piece(g_piece, 'x');
    for (size_t sent = 0; sent < total; sent += g_piece) {
      for (size_t off = 0; off < g_piece;) {
        ssize_t n = write(sv[0], piece.data() + off, g_piece - off);
        if (n <= 0) return;
        off += static_cast<size_t>(n);
      }
    }
    close(sv[0]);
  });
  std::string buf(g_piece, '\0');
  while (read(sv[1], buf.data(), buf.size()) > 0) {
  }
  double secs = Seconds(start);
  writer.join();
  close(sv[1]);
  return total / secs / (1 << 20);
}

}  // namespace
}  // namespace http

int main(int argc, char** argv) {
  size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1024;
  if (argc > 2) http::g_piece = std::strtoul(argv[2], nullptr, 10) << 10;
  size_t total = mib << 20;
  http::TestPki pki;
  double unix_pair = http::ThroughSocketpair(total);
  double plain = http::ThroughServer(total, nullptr);
  double tls = http::ThroughServer(total, &pki);
  std::printf("%zu MiB, server to client, %zu KiB writes\n", mib,
              http::g_piece >> 10);
  std::printf("unix socketpair (threads)   %8.0f MiB/s\n", unix_pair);
  std::printf("hijacked stream, plain TCP  %8.0f MiB/s  (%.2f of unix)\n",
              plain, plain / unix_pair);
  std::printf("hijacked stream, TLS        %8.0f MiB/s  (%.2f of unix)\n", tls,
              tls / unix_pair);
  return 0;
}
