// docker_probe_server STATE_DIR verify|server [--tls-san NAME]...
//
// A test peer for docker_cli_test.sh: binds 127.0.0.1 on a free port,
// prepares the TLS set for it with PrepareTls, serves it with
// MakeServerContext's context and answers every HTTP request with the
// least the docker CLI needs for `docker version` (Server.Version is
// "probe"). So the stock CLI's Go crypto/tls judges our certificates and
// our TLS settings, not the openssl tool's. Prints "port N" once ready
// and "peer SUBJECT" per verified client certificate; exits after 60 s.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "attach/endpoint/certs/server_context.h"
#include "base/unique_fd.h"

namespace certs = attach::endpoint::certs;

namespace {

constexpr char kVersionBody[] =
    "{\"Version\":\"probe\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":"
    "\"1.12\",\"Os\":\"linux\",\"Arch\":\"amd64\"}";

int Fail(const std::string& what) {
  std::fprintf(stderr, "docker_probe_server: %s\n", what.c_str());
  return 1;
}

std::string Response(const std::string& request) {
  const bool version = request.find(" /v1.41/version ") != std::string::npos ||
                       request.find(" /version ") != std::string::npos;
  std::string body = version ? kVersionBody : "OK";
  std::string type = version ? "application/json" : "text/plain";
  return "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nOstype: linux\r\n"
         "Content-Type: " +
         type + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" +
         (request.rfind("HEAD ", 0) == 0 ? "" : body);
}

// One connection: handshake, read the request head, answer, close.
void Serve(SSL_CTX* ctx, int fd) {
  certs::SslPtr ssl(SSL_new(ctx));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return;
  if (SSL_accept(ssl.get()) != 1) {
    std::printf("handshake failed\n");
    std::fflush(stdout);
    return;
  }
  std::string subject = certs::PeerSubject(ssl.get());
  if (!subject.empty()) std::printf("peer %s\n", subject.c_str());
  std::fflush(stdout);
  std::string request;
  char buf[4096];
  while (request.find("\r\n\r\n") == std::string::npos) {
    int n = SSL_read(ssl.get(), buf, sizeof(buf));
    if (n <= 0) return;
    request.append(buf, static_cast<size_t>(n));
  }
  std::string reply = Response(request);
  SSL_write(ssl.get(), reply.data(), static_cast<int>(reply.size()));
  SSL_shutdown(ssl.get());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Fail("usage: STATE_DIR verify|server [--tls-san N]...");
  alarm(60);                 // A test peer never outlives its test.
  signal(SIGPIPE, SIG_IGN);  // A client that left is no reason to die.
  base::UniqueFd lfd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (!lfd ||
      bind(lfd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(lfd.get(), 8) != 0 ||
      getsockname(lfd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return Fail(std::string("listen: ") + std::strerror(errno));
  }
  const int port = ntohs(addr.sin_port);

  certs::TlsOptions options;
  auto mode = certs::ParseTlsMode(argv[2]);
  if (!mode.ok()) return Fail(mode.status().ToString());
  options.mode = *mode;
  options.api_address = "127.0.0.1:" + std::to_string(port);
  for (int i = 3; i + 1 < argc; i += 2) {
    options.extra_names.push_back(argv[i + 1]);
  }
  auto material = certs::PrepareTls(argv[1], options);
  if (!material.ok()) return Fail(material.status().ToString());
  auto ctx = certs::MakeServerContext(*material, certs::ClientAuthFor(*mode));
  if (!ctx.ok()) return Fail(ctx.status().ToString());

  std::printf("port %d\n", port);
  std::fflush(stdout);
  for (;;) {
    base::UniqueFd fd(accept4(lfd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd) continue;
    // One connection at a time: a silent client must not block the next.
    timeval timeout{5, 0};
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    Serve(ctx->get(), fd.get());
  }
}
