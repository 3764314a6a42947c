// Length-delimited framing for control.proto and client.proto messages:
// a 4-byte big-endian length (1..kMaxFrameBytes) and that many bytes.
// Shared by the tether, attachd and tetherctl (docs/protocol.md §5).
#ifndef TETHER_ATTACH_FRAME_H_
#define TETHER_ATTACH_FRAME_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace google {
namespace protobuf {
class MessageLite;
}  // namespace protobuf
}  // namespace google

namespace attach {

constexpr size_t kMaxFrameBytes = 1u << 20;
constexpr size_t kFrameHeaderBytes = 4;

// The frame for `msg`: header + serialized bytes. A message larger than
// kMaxFrameBytes is a programming error (callers bound what they put in).
std::string EncodeFrame(const google::protobuf::MessageLite& msg);

// Splits a byte stream into frame payloads. Not thread-safe.
class FrameReader {
 public:
  explicit FrameReader(size_t max_frame = kMaxFrameBytes)
      : max_frame_(max_frame) {}

  void Append(const char* data, size_t len) { buf_.append(data, len); }
  // The next complete payload, nullopt when more bytes are needed, or
  // kInvalidArgument "frame length N out of range (1..1048576)"; after an
  // error the stream cannot be resynchronised and must be dropped.
  base::Result<std::optional<std::string>> Next();
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::string buf_;
  size_t pos_ = 0;  // Start of unconsumed bytes in buf_.
  size_t max_frame_;
};

// Parses `payload` into `msg`; kInvalidArgument "<what>: malformed message"
// when it does not parse.
base::Status ParseFrame(std::string_view payload,
                        google::protobuf::MessageLite* msg,
                        const char* what);

}  // namespace attach

#endif  // TETHER_ATTACH_FRAME_H_
