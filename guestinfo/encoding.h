// Payload encodings of a config value: plain, base64 and gzip+base64.
//
// These are the values of guestinfo.tether.config.encoding, following
// cloud-init's VMware datasource (which also spells them "b64" and
// "gz+b64"; both spellings are accepted). Every decoded result, including
// the intermediate output of base64 under gzip, is capped at
// kMaxConfigBytes, so a small compressed "zip bomb" costs at most that.
#ifndef TETHER_GUESTINFO_ENCODING_H_
#define TETHER_GUESTINFO_ENCODING_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace guestinfo {

// Decodes `data` per `encoding` ("", "plain", "base64", "gzip+base64";
// surrounding whitespace in `encoding` is ignored). kInvalidArgument:
//   unknown encoding "rot13" (expected plain, base64 or gzip+base64)
//   base64: invalid character '*' at offset 12
//   gzip: truncated stream
//   gzip: output exceeds the 1 MiB limit (a decompression bomb?)
base::Result<std::string> DecodePayload(std::string_view data,
                                        std::string_view encoding);

// The inverse, for tests and tools that write guestinfo values. Only an
// unknown encoding (kInvalidArgument) or a zlib failure (kInternal) fails.
base::Result<std::string> EncodePayload(std::string_view data,
                                        std::string_view encoding);

// gzip (RFC 1952) in both directions; Gunzip reads exactly one member and
// rejects trailing bytes and output larger than `max_out`.
base::Result<std::string> Gzip(std::string_view data);
base::Result<std::string> Gunzip(std::string_view data, size_t max_out);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_ENCODING_H_
