// Names of the standard Linux signals 1..31, both ways.
//
// Shared by the config decoder (sessions[].stop_signal) and the tether CLI
// (flags that take a signal), so "TERM", "SIGTERM", "sigterm" and "15"
// mean the same everywhere. Real-time signals are not accepted: nothing in
// the schema needs them and their numbers are not stable across libcs.
#ifndef TETHER_GUESTINFO_SIGNAL_NAMES_H_
#define TETHER_GUESTINFO_SIGNAL_NAMES_H_

#include <string_view>

#include "base/result.h"

namespace guestinfo {

// "SIGTERM", "TERM" (any case) or "15" -> 15. Aliases SIGIOT, SIGPOLL and
// SIGCLD are accepted. kInvalidArgument `unknown signal "SIGFOO"`.
base::Result<int> ParseSignal(std::string_view text);

// 15 -> "SIGTERM". For numbers outside 1..31 returns "" (never nullptr), so
// the result can always be printed.
const char* SignalName(int signo);

}  // namespace guestinfo

#endif  // TETHER_GUESTINFO_SIGNAL_NAMES_H_
