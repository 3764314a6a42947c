// Text from attachd or a guest shown on the operator's terminal (review
// F14): a hijacked tether chooses ExecFailed messages and session errors,
// so escape sequences in them must not reach the terminal.
#ifndef TETHER_ATTACH_CTL_TERMINAL_TEXT_H_
#define TETHER_ATTACH_CTL_TERMINAL_TEXT_H_

#include <string>
#include <string_view>

namespace attach {
namespace ctl {

// `text` with every C0 control but tab and newline, DEL, every C1 control
// (U+0080..U+009F) and every byte that is not part of valid UTF-8 written
// as \xNN; valid printable UTF-8 passes unchanged. Pure.
std::string TerminalSafe(std::string_view text);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_TERMINAL_TEXT_H_
