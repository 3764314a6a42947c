// docker's stream multiplexing for non-tty attach, exec and logs
// (moby pkg/stdcopy): each piece of output is an 8-byte header
// {stream, 0, 0, 0, size as big-endian uint32} followed by the bytes.
// Stream 1 is stdout, 2 stderr (as attachd numbers them), 3 an error from
// the daemon that ends the stream.
#ifndef TETHER_ATTACH_ENDPOINT_API_STDCOPY_H_
#define TETHER_ATTACH_ENDPOINT_API_STDCOPY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace attach {
namespace endpoint {
namespace api {

constexpr uint8_t kStdout = 1;
constexpr uint8_t kStderr = 2;
constexpr uint8_t kSystemErr = 3;
constexpr size_t kStdcopyHeader = 8;

// The header and `data` as one frame.
std::string StdcopyFrame(uint8_t stream, std::string_view data);
// Appends a header for `size` bytes of `stream` to `out`; SetStdcopySize
// rewrites the size of the header at `at` (a frame that grew).
void AppendStdcopyHeader(std::string* out, uint8_t stream, uint32_t size);
void SetStdcopySize(std::string* out, size_t at, uint32_t size);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_STDCOPY_H_
