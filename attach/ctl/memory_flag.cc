#include "attach/ctl/memory_flag.h"

#include <cctype>

namespace attach {
namespace ctl {

base::Result<uint32_t> ParseMemoryMb(const std::string& text) {
  if (text.empty()) return 0u;
  auto bad = [&text](const std::string& why) {
    return base::Status::InvalidArgument("invalid argument \"" + text +
                                         "\" for \"-m, --memory\" flag: " +
                                         why);
  };
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
    if (n > (uint64_t{1} << 42)) return bad("too large");
    ++i;
  }
  if (i == 0) return bad("not a size");
  std::string unit;
  for (; i < text.size(); ++i) {
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  if (unit.size() == 2 && unit[1] == 'b') unit.resize(1);
  uint64_t bytes_per_unit;
  if (unit.empty() || unit == "m") {
    bytes_per_unit = uint64_t{1} << 20;
  } else if (unit == "b") {
    bytes_per_unit = 1;
  } else if (unit == "k") {
    bytes_per_unit = uint64_t{1} << 10;
  } else if (unit == "g") {
    bytes_per_unit = uint64_t{1} << 30;
  } else {
    return bad("unknown unit \"" + unit + "\" (use b, k, m or g)");
  }
  if (n > (uint64_t{1} << 52) / bytes_per_unit) return bad("too large");
  uint64_t mib = (n * bytes_per_unit + (uint64_t{1} << 20) - 1) >> 20;
  if (mib > UINT32_MAX) return bad("too large");
  return static_cast<uint32_t>(mib);
}

}  // namespace ctl
}  // namespace attach
