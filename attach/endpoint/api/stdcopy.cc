#include "attach/endpoint/api/stdcopy.h"

namespace attach {
namespace endpoint {
namespace api {

std::string StdcopyFrame(uint8_t stream, std::string_view data) {
  uint32_t n = static_cast<uint32_t>(data.size());
  std::string frame;
  frame.reserve(kStdcopyHeader + data.size());
  frame += static_cast<char>(stream);
  frame.append(3, '\0');
  frame += static_cast<char>(n >> 24);
  frame += static_cast<char>(n >> 16);
  frame += static_cast<char>(n >> 8);
  frame += static_cast<char>(n);
  frame.append(data.data(), data.size());
  return frame;
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
