// What attachd learns from a container VM's serial console log
// (<container dir>/console.log: the kernel's messages and the tether's
// own lines, each prefixed "tether: "). When a VM powers off before its
// tether could report anything over the attach link (a config it
// rejects, say), the console holds the only word of why: the tether's
// last "tether: error: <message>" line.
#ifndef TETHER_ATTACH_ENDPOINT_VMS_CONSOLE_LOG_H_
#define TETHER_ATTACH_ENDPOINT_VMS_CONSOLE_LOG_H_

#include <optional>
#include <string>
#include <string_view>

namespace attach {
namespace endpoint {

// The last line of `console` that holds "tether: error: " (at its start,
// or after firmware output left unterminated), from that prefix on: at
// most 1,000 bytes, trailing carriage returns dropped, other non-printable
// bytes as '?'. nullopt when there is none. Pure.
std::optional<std::string> LastTetherError(std::string_view console);

// LastTetherError of the last 64 KiB of the file at `path`; nullopt also
// when it cannot be read. Blocking read of a small file, on the loop.
std::optional<std::string> ConsoleError(const std::string& path);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_CONSOLE_LOG_H_
