#include "attach/endpoint/api/stream_client.h"

#include "attach/docker/time_format.h"
#include "attach/endpoint/api/stdcopy.h"

namespace attach {
namespace endpoint {
namespace api {

std::string OutputEncoder::Encode(uint8_t stream, std::string_view data,
                                  int64_t time_ns) {
  // A tty has one stream; the CLI shows everything as stdout.
  bool wanted =
      format_.tty || (stream == kStderr ? format_.stderr : format_.stdout);
  if (!wanted || data.empty()) return "";
  std::string text;
  std::string_view out = data;
  if (format_.timestamps) {
    // The feed never hands over a piece that runs past a newline, so a
    // timestamp goes before a piece that starts a line.
    bool& start = line_start_[stream < 3 ? stream : 0];
    if (start) {
      text = docker::FormatRfc3339NanoFixed(time_ns) + " ";
    }
    text.append(data.data(), data.size());
    start = data.back() == '\n';
    out = text;
  }
  if (format_.tty || format_.plain) return std::string(out);
  return StdcopyFrame(stream == kStderr ? kStderr : kStdout, out);
}

std::string OutputEncoder::Notice(const std::string& text) {
  std::string line = text + "\n";
  return format_.tty || format_.plain ? line : StdcopyFrame(kStderr, line);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
