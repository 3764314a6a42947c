#include "attach/endpoint/vms/console_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

constexpr std::string_view kErrorPrefix = "tether: error: ";
constexpr size_t kMaxLine = 1000;
constexpr size_t kTailBytes = 64 * 1024;

// Calls `fn` with each line of `console`, its "\n" and any trailing "\r"
// (a serial line discipline turns "\n" into "\r\n") removed.
template <typename Fn>
void ForEachLine(std::string_view console, Fn fn) {
  size_t start = 0;
  while (start < console.size()) {
    size_t end = console.find('\n', start);
    if (end == std::string_view::npos) end = console.size();
    std::string_view line = console.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line);
  }
}

// The last 64 KiB of the file, its first (partial) line dropped; "" when
// it cannot be read.
std::string ReadTail(const std::string& path) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return "";
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return "";
  off_t size = st.st_size;
  off_t from = size > static_cast<off_t>(kTailBytes)
                   ? size - static_cast<off_t>(kTailBytes)
                   : 0;
  std::string buf(static_cast<size_t>(size - from), '\0');
  size_t got = 0;
  while (got < buf.size()) {
    ssize_t n = ::pread(fd.get(), &buf[got], buf.size() - got,
                        from + static_cast<off_t>(got));
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  buf.resize(got);
  // The tail's first line is a fragment: dropped rather than misread.
  if (from > 0) {
    size_t nl = buf.find('\n');
    buf.erase(0, nl == std::string::npos ? buf.size() : nl + 1);
  }
  return buf;
}

}  // namespace

std::optional<std::string> LastTetherError(std::string_view console) {
  std::optional<std::string> found;
  ForEachLine(console, [&](std::string_view line) {
    // The console holds only firmware, kernel and tether output; firmware
    // may leave its last line unterminated ("Booting from ROM.."), so the
    // tether's line can start mid-line.
    size_t at = line.find(kErrorPrefix);
    if (at == std::string_view::npos) return;
    std::string text;
    for (char c : line.substr(at, kMaxLine)) {
      unsigned char u = static_cast<unsigned char>(c);
      // The tether writes ASCII; anything else (C1 controls 0x80..0x9f
      // among it) is the guest's and reaches operators' terminals.
      text += (u >= 0x20 && u < 0x7f) ? c : '?';
    }
    found = std::move(text);
  });
  return found;
}

std::optional<guestinfo::ExitRecord> LastExitRecord(std::string_view console) {
  std::optional<guestinfo::ExitRecord> found;
  ForEachLine(console, [&](std::string_view line) {
    // Only lines that start like a record are decoded: the decoder would
    // build an error saying why for every other line of the console.
    if (line.substr(0, guestinfo::kExitRecordPrefix.size()) !=
        guestinfo::kExitRecordPrefix) {
      return;
    }
    base::Result<guestinfo::ExitRecord> r = guestinfo::DecodeExitRecord(line);
    if (r.ok()) found = std::move(r).value();
  });
  return found;
}

ConsoleEnd ReadConsoleEnd(const std::string& path) {
  std::string tail = ReadTail(path);
  return {LastTetherError(tail), LastExitRecord(tail)};
}

}  // namespace endpoint
}  // namespace attach
