#include "attach/frame.h"

#include <google/protobuf/message_lite.h>

#include "base/log.h"

namespace attach {

std::string EncodeFrame(const google::protobuf::MessageLite& msg) {
  size_t size = msg.ByteSizeLong();
  TETHER_CHECK(size <= kMaxFrameBytes);
  std::string out(kFrameHeaderBytes + size, '\0');
  out[0] = static_cast<char>((size >> 24) & 0xff);
  out[1] = static_cast<char>((size >> 16) & 0xff);
  out[2] = static_cast<char>((size >> 8) & 0xff);
  out[3] = static_cast<char>(size & 0xff);
  msg.SerializeWithCachedSizesToArray(
      reinterpret_cast<uint8_t*>(&out[kFrameHeaderBytes]));
  return out;
}

base::Result<std::optional<std::string>> FrameReader::Next() {
  if (buf_.size() - pos_ < kFrameHeaderBytes) return std::optional<std::string>();
  const unsigned char* p =
      reinterpret_cast<const unsigned char*>(buf_.data() + pos_);
  size_t len = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) |
               (size_t{p[2]} << 8) | size_t{p[3]};
  if (len == 0 || len > max_frame_) {
    return base::Status::InvalidArgument(
        "frame length " + std::to_string(len) + " out of range (1.." +
        std::to_string(max_frame_) + ")");
  }
  if (buf_.size() - pos_ - kFrameHeaderBytes < len) {
    return std::optional<std::string>();
  }
  std::string payload = buf_.substr(pos_ + kFrameHeaderBytes, len);
  pos_ += kFrameHeaderBytes + len;
  // Compact once the consumed prefix dominates, keeping appends amortised.
  if (pos_ > 65536 && pos_ * 2 > buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  return std::optional<std::string>(std::move(payload));
}

base::Status ParseFrame(std::string_view payload,
                        google::protobuf::MessageLite* msg,
                        const char* what) {
  if (!msg->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return base::Status::InvalidArgument(std::string(what) +
                                         ": malformed message");
  }
  return base::Status::Ok();
}

}  // namespace attach
