// docker logs --timestamps: each line of output starts with the time it
// was received, RFC3339NanoFixed ("2024-05-01T12:34:56.500000000Z ").
// attachd stores output in chunks, not lines, so the prefix goes at every
// line start inside a chunk, with that chunk's time; a line split across
// chunks is prefixed once. stdout and stderr are tracked apart.
#ifndef TETHER_ATTACH_CTL_LOG_LINES_H_
#define TETHER_ATTACH_CTL_LOG_LINES_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace attach {
namespace ctl {

class LogLines {
 public:
  explicit LogLines(bool timestamps) : timestamps_(timestamps) {}

  // The text to write for one chunk of `stderr` (or stdout) data received
  // at `time_ns`: the data itself when timestamps are off.
  std::string Format(bool is_stderr, std::string_view data, int64_t time_ns);

 private:
  bool timestamps_;
  bool at_line_start_[2] = {true, true};  // [stdout, stderr]
};

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_LOG_LINES_H_
