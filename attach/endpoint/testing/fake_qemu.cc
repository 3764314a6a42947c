// A stand-in for qemu-system-x86_64 in attachd's VM tests (built as
// `qemu-system-fake`, so /proc/PID/cmdline passes the launcher's check).
// It boots nothing; $FAKE_QEMU picks what it does with its console file
// (the path of -chardev file,id=console, or of -serial file:):
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

namespace {

// The path= value of a QemuOpts list, its doubled commas made single.
std::string OptPath(const std::string& opts) {
  size_t at = opts.find("path=");
  std::string out;
  for (size_t i = at + 5; at != std::string::npos && i < opts.size(); ++i) {
    if (opts[i] != ',') {
      out += opts[i];
    } else if (i + 1 < opts.size() && opts[i + 1] == ',') {
      out += ',';
      ++i;
    } else {
      break;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string console;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "-serial") == 0 &&
        std::strncmp(argv[i + 1], "file:", 5) == 0) {
      console = argv[i + 1] + 5;
    }
    if (std::strcmp(argv[i], "-chardev") == 0 &&
        std::strncmp(argv[i + 1], "file,id=console,", 16) == 0) {
      console = OptPath(argv[i + 1]);
    }
  }
  const char* mode = std::getenv("FAKE_QEMU");
  std::string m = mode != nullptr ? mode : "run";
  if (m == "fail") {
    std::fprintf(stderr, "qemu-system-fake: -fake: invalid option\n");
    return 1;
  }
  FILE* f = console.empty() ? nullptr : std::fopen(console.c_str(), "a");
  if (f == nullptr) return 2;
  if (m == "error") {
    std::fputs(
        "SeaBIOS\r\nBooting from ROM..tether: error: config: "
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
