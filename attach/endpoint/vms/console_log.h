// What attachd learns from a container VM's serial console log
// (<container dir>/console.log: the kernel's messages and the tether's
// own lines, each prefixed "tether: "). When a VM powers off before its
// tether could report anything over the attach link, the console holds
// the only word of how it ended: the tether's exit record
// (guestinfo/exit_record.h) when the container ran, or its last
// "tether: error: <message>" line when it could not (a config it rejects,
// say).
//
// The guest is untrusted and writes what it likes to its console: every
// line is bounded, checked and made printable before anything of it is
// believed or shown.
#ifndef TETHER_ATTACH_ENDPOINT_VMS_CONSOLE_LOG_H_
#define TETHER_ATTACH_ENDPOINT_VMS_CONSOLE_LOG_H_

#include <optional>
#include <string>
#include <string_view>

#include "guestinfo/exit_record.h"

namespace attach {
namespace endpoint {

// The last line of `console` that holds "tether: error: " (at its start,
// or after firmware output left unterminated), from that prefix on: at
// most 1,000 bytes, trailing carriage returns dropped, other non-printable
// bytes as '?'. nullopt when there is none. Pure.
std::optional<std::string> LastTetherError(std::string_view console);

// The last line of `console` that is a valid exit record (from its first
// byte: DecodeExitRecord); lines that only look like one are ignored.
// nullopt when there is none. Pure.
std::optional<guestinfo::ExitRecord> LastExitRecord(std::string_view console);

// Both, from the last 64 KiB of a console log.
struct ConsoleEnd {
  std::optional<std::string> error;
  std::optional<guestinfo::ExitRecord> exit;
};

// The ConsoleEnd of the file at `path`; empty when it cannot be read.
// Blocking read of a small file, on the loop.
ConsoleEnd ReadConsoleEnd(const std::string& path);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_VMS_CONSOLE_LOG_H_
