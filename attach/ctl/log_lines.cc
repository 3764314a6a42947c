#include "attach/ctl/log_lines.h"

#include "attach/docker/time_format.h"

namespace attach {
namespace ctl {

std::string LogLines::Format(bool is_stderr, std::string_view data,
                             int64_t time_ns) {
  if (!timestamps_) return std::string(data);
  bool& at_start = at_line_start_[is_stderr ? 1 : 0];
  const std::string prefix = docker::FormatRfc3339NanoFixed(time_ns) + " ";
  std::string out;
  size_t pos = 0;
  while (pos < data.size()) {
    if (at_start) out += prefix;
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string_view::npos ? data.size() : nl + 1;
    out.append(data.substr(pos, end - pos));
    at_start = nl != std::string_view::npos;
    pos = end;
  }
  return out;
}

}  // namespace ctl
}  // namespace attach
