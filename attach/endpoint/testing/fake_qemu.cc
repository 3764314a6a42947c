// A stand-in for qemu-system-x86_64 in attachd's VM tests (built as
// `qemu-system-fake`, so /proc/PID/cmdline passes the launcher's check).
// It boots nothing; $FAKE_QEMU picks what it does with its console file
// (the -serial file: argument):
//   run    (default) writes a boot line, then waits for a signal;
//   error  writes firmware junk and a tether error line, then exits 0, as
//          a VM whose tether rejected its config powers off;
//   fail   writes an error to stderr and exits 1, as QEMU refusing its
//          options does.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  std::string console;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "-serial") == 0 &&
        std::strncmp(argv[i + 1], "file:", 5) == 0) {
      console = argv[i + 1] + 5;
    }
  }
  const char* mode = std::getenv("FAKE_QEMU");
  std::string m = mode != nullptr ? mode : "run";
  if (m == "fail") {
    std::fprintf(stderr, "qemu-system-fake: -fake: invalid option\n");
    return 1;
  }
  FILE* f = console.empty() ? nullptr : std::fopen(console.c_str(), "w");
  if (f == nullptr) return 2;
  if (m == "error") {
    std::fputs("SeaBIOS\r\nBooting from ROM..tether: error: config: "
               "sessions[0]: unknown field \"bogus\"\r\n"
               "tether: info: container exited with code 125; powering off\r\n"
               "[    1.0] reboot: Power down\r\n",
               f);
    std::fclose(f);
    return 0;
  }
  std::fputs("fake VM up\r\n", f);
  std::fclose(f);
  for (;;) pause();
}
