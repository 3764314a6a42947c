#include "attach/endpoint/api/stream_client.h"

#include "attach/docker/time_format.h"
#include "attach/endpoint/api/stdcopy.h"

namespace attach {
namespace endpoint {
namespace api {

std::string_view OutputEncoder::Text(uint8_t stream, std::string_view data,
                                     int64_t time_ns, std::string* scratch) {
  // A tty has one stream; the CLI shows everything as stdout.
  bool wanted =
      format_.tty || (stream == kStderr ? format_.stderr : format_.stdout);
  if (!wanted || data.empty()) return {};
  if (!format_.timestamps) return data;
  // The feed never hands over a piece that runs past a newline, so a
  // timestamp goes before a piece that starts a line.
  bool& start = line_start_[stream < 3 ? stream : 0];
  scratch->clear();
  if (start) *scratch = docker::FormatRfc3339NanoFixed(time_ns) + " ";
  scratch->append(data.data(), data.size());
  start = data.back() == '\n';
  return *scratch;
}

uint8_t OutputEncoder::FrameStream(uint8_t stream) const {
  if (format_.tty || format_.plain) return 0;
  return stream == kStderr ? kStderr : kStdout;
}

std::string OutputEncoder::Encode(uint8_t stream, std::string_view data,
                                  int64_t time_ns) {
  std::string scratch;
  std::string_view text = Text(stream, data, time_ns, &scratch);
  if (text.empty()) return "";
  uint8_t frame = FrameStream(stream);
  return frame == 0 ? std::string(text) : StdcopyFrame(frame, text);
}

std::string OutputEncoder::Notice(const std::string& text) {
  std::string line = text + "\n";
  return format_.tty || format_.plain ? line : StdcopyFrame(kStderr, line);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
