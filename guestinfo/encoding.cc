#include "guestinfo/encoding.h"

#include <zlib.h>

#include <climits>

#include "guestinfo/base64.h"
#include "guestinfo/field_syntax.h"
#include "guestinfo/json_fields.h"
#include "guestinfo/limits.h"

namespace guestinfo {

using base::Result;
using base::Status;

namespace {

// zlib windowBits: 15-bit window, +16 selects the gzip wrapper.
constexpr int kGzipWindowBits = 15 + 16;

enum class Encoding { kPlain, kBase64, kGzipBase64 };

Result<Encoding> ParseEncoding(std::string_view name) {
  name = TrimSpace(name);
  if (name.empty() || name == "plain") return Encoding::kPlain;
  if (name == "base64" || name == "b64") return Encoding::kBase64;
  if (name == "gzip+base64" || name == "gz+b64") return Encoding::kGzipBase64;
  return Status::InvalidArgument("unknown encoding " + Quote(name) +
                                 " (expected plain, base64 or gzip+base64)");
}

// "the 1 MiB limit" reads better than "1048576 bytes" for the usual cap.
std::string LimitText(size_t limit) {
  if (limit % (size_t{1} << 20) == 0) {
    return "the " + std::to_string(limit >> 20) + " MiB limit";
  }
  return "the " + std::to_string(limit) + "-byte limit";
}

Status TooBig(const char* what, size_t size, size_t limit) {
  return Status::InvalidArgument(std::string(what) + ": " +
                                 std::to_string(size) + " bytes exceeds " +
                                 LimitText(limit));
}

}  // namespace

Result<std::string> Gunzip(std::string_view data, size_t max_out) {
  if (data.size() > UINT_MAX) return TooBig("gzip", data.size(), UINT_MAX);
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) {
    return Status::Internal("gzip: inflateInit2 failed");
  }
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    int rc = inflate(&zs, Z_NO_FLUSH);
    size_t got = sizeof(buf) - zs.avail_out;
    if (out.size() + got > max_out) {
      return Status::InvalidArgument("gzip: output exceeds " +
                                     LimitText(max_out) +
                                     " (a decompression bomb?)");
    }
    out.append(buf, got);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_OK) continue;
    // Z_BUF_ERROR with all input consumed: the stream just stops.
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      return Status::InvalidArgument("gzip: truncated stream");
    }
    if (rc == Z_MEM_ERROR) return Status::Internal("gzip: out of memory");
    return Status::InvalidArgument(
        std::string("gzip: corrupt data (") +
        (zs.msg != nullptr ? zs.msg : "unexpected end") + ")");
  }
  if (zs.avail_in != 0) {
    return Status::InvalidArgument("gzip: " + std::to_string(zs.avail_in) +
                                   " bytes of trailing data after the stream");
  }
  return out;
}

Result<std::string> Gzip(std::string_view data) {
  if (data.size() > UINT_MAX) return TooBig("gzip", data.size(), UINT_MAX);
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  struct End {
    z_stream* zs;
    ~End() { deflateEnd(zs); }
  } end{&zs};
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = static_cast<uInt>(out.size());
  // deflateBound guarantees one Z_FINISH call completes the stream.
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
    return Status::Internal("gzip: deflate did not finish");
  }
  out.resize(zs.total_out);
  return out;
}

Result<std::string> DecodePayload(std::string_view data,
                                  std::string_view encoding) {
  TETHER_ASSIGN_OR_RETURN(Encoding enc, ParseEncoding(encoding));
  if (enc == Encoding::kPlain) {
    if (data.size() > kMaxConfigBytes)
      return TooBig("plain", data.size(), kMaxConfigBytes);
    return std::string(data);
  }
  TETHER_ASSIGN_OR_RETURN(std::string bytes,
                          Base64Decode(data, kMaxConfigBytes));
  if (enc == Encoding::kBase64) return bytes;
  return Gunzip(bytes, kMaxConfigBytes);
}

Result<std::string> EncodePayload(std::string_view data,
                                  std::string_view encoding) {
  TETHER_ASSIGN_OR_RETURN(Encoding enc, ParseEncoding(encoding));
  if (enc == Encoding::kPlain) return std::string(data);
  if (enc == Encoding::kBase64) return Base64Encode(data);
  TETHER_ASSIGN_OR_RETURN(std::string compressed, Gzip(data));
  return Base64Encode(compressed);
}

}  // namespace guestinfo
