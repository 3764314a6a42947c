// How the Docker API shows a session's output to one client: the bytes
// themselves for a tty, stdcopy frames otherwise (stdcopy.h), only the
// streams the client asked for, and, for `logs --timestamps`, docker's
// RFC 3339 time before each line. The bytes go to a hijacked connection
// (attach, exec start) or a streamed response (logs), both bounded by
// kHighMark: what does not fit waits in the session's log (OutputFeed).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_API_STREAM_CLIENT_H_
#define TETHER_ATTACH_ENDPOINT_API_STREAM_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace attach {
namespace endpoint {
namespace api {

// Output queued toward one client beyond which the feed stops and reads
// the log later; and the mark below which it starts again.
constexpr size_t kHighMark = 4 << 20;
constexpr size_t kLowMark = 1 << 20;

struct StreamFormat {
  bool tty = false;  // Raw bytes; else stdcopy frames.
  bool stdout = true;
  bool stderr = true;
  bool timestamps = false;
  // Raw bytes of the chosen streams, without frames (the admin portal's
  // plain-text logs); a tty still has one stream. Last, so that aggregate
  // initialisers of the fields above keep their meaning.
  bool plain = false;
};

// Encodes output for one client. Not a sink itself: the caller owns the
// byte stream and its queue.
class OutputEncoder {
 public:
  explicit OutputEncoder(StreamFormat format) : format_(format) {}

  // The bytes for `data` of `stream`, received at `time_ns`; empty when
  // the client did not ask for that stream.
  std::string Encode(uint8_t stream, std::string_view data, int64_t time_ns);
  // Encode's two steps. Text: what `data` shows as, unframed (with its
  // timestamp; `scratch` holds it then); empty when not asked for.
  // FrameStream: the stdcopy stream that carries it, 0 when the client
  // gets raw bytes (a tty, plain).
  std::string_view Text(uint8_t stream, std::string_view data, int64_t time_ns,
                        std::string* scratch);
  uint8_t FrameStream(uint8_t stream) const;
  // A message from attachd itself (an exec that could not start), on
  // stderr as the docker CLI shows it.
  std::string Notice(const std::string& text);
  const StreamFormat& format() const { return format_; }

 private:
  StreamFormat format_;
  bool line_start_[3] = {true, true, true};  // Per stream, for timestamps.
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_STREAM_CLIENT_H_
