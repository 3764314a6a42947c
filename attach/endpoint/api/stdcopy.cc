#include "attach/endpoint/api/stdcopy.h"

namespace attach {
namespace endpoint {
namespace api {

void AppendStdcopyHeader(std::string* out, uint8_t stream, uint32_t size) {
  out->push_back(static_cast<char>(stream));
  out->append(7, '\0');
  SetStdcopySize(out, out->size() - kStdcopyHeader, size);
}

void SetStdcopySize(std::string* out, size_t at, uint32_t size) {
  char* p = out->data() + at + 4;
  p[0] = static_cast<char>(size >> 24);
  p[1] = static_cast<char>(size >> 16);
  p[2] = static_cast<char>(size >> 8);
  p[3] = static_cast<char>(size);
}

std::string StdcopyFrame(uint8_t stream, std::string_view data) {
  std::string frame;
  frame.reserve(kStdcopyHeader + data.size());
  AppendStdcopyHeader(&frame, stream, static_cast<uint32_t>(data.size()));
  frame.append(data.data(), data.size());
  return frame;
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
