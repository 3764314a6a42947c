// Links attach_link the way the tether does (-static, glibc) and runs it
// once: a link dials a closed port on 127.0.0.1, fails cleanly, and closes
// every handle. Proves the archive set (libssh2, libsodium, libuv) is
// complete and that nothing on the dial path needs NSS.
#include <cstdio>
#include <cstring>

#include "attach/link/ssh_client.h"
#include "attach/link/tether_link.h"

namespace {

class NoTether : public attach::LinkDelegate {
 public:
  tether::attach::Hello MakeHello() override { return {}; }
  attach::OutputChunk ReadOutput(const std::string&, tether::attach::StreamId,
                                 uint64_t, size_t) override {
    return {};
  }
  uint64_t OutputEnd(const std::string&, tether::attach::StreamId) override {
    return 0;
  }
  void OnAcked(const std::string&, tether::attach::StreamId,
               uint64_t) override {}
  void OnStdin(const std::string&, std::string_view) override {}
  void OnStdinClosed(const std::string&) override {}
  void OnControl(const tether::attach::Envelope&) override {}
};

}  // namespace

int main() {
  // libsodium, statically: the fingerprint of 32 zero bytes.
  unsigned char zeros[32] = {};
  std::string fp = attach::FormatSha256Fingerprint(zeros, sizeof(zeros));
  if (fp != "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") {
    std::fprintf(stderr, "bad fingerprint %s\n", fp.c_str());
    return 1;
  }
  uv_loop_t loop;
  uv_loop_init(&loop);
  guestinfo::EndpointConfig endpoint;
  endpoint.address = "tcp:127.0.0.1:1";
  NoTether tether;
  attach::TetherLink link(&loop, endpoint, "static-check", &tether);
  if (!link.Start().ok()) return 1;
  uv_timer_t stop;
  uv_timer_init(&loop, &stop);
  uv_timer_start(
      &stop, [](uv_timer_t* t) { uv_stop(t->loop); }, 300, 0);
  uv_run(&loop, UV_RUN_DEFAULT);
  std::string error = link.last_error().ToString();
  link.Close();
  uv_close(reinterpret_cast<uv_handle_t*>(&stop), nullptr);
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop) != 0) return 1;
  std::printf("%s\n", error.c_str());
  return error.find("Connection refused") != std::string::npos ? 0 : 1;
}
