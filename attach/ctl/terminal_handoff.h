// Whether an attach/exec/run hands its terminal to attachd instead of
// relaying it (docs/protocol.md §6), and the fd it hands over.
//
// Handed over: a tty session with stdin attached, whose stdin and stdout
// are one and the same terminal. attachd then reads the keystrokes and
// writes the output itself, as sshd's peer would, and tetherctl only keeps
// the terminal raw, sends resizes and waits for the end. Anything else
// (output to a file, a pipe in, a second terminal) is relayed as before.
// TETHERCTL_TERMINAL_HANDOFF=0 relays always (to compare, or to debug).
#ifndef TETHER_ATTACH_CTL_TERMINAL_HANDOFF_H_
#define TETHER_ATTACH_CTL_TERMINAL_HANDOFF_H_

#include "attach/ctl/command_context.h"
#include "base/unique_fd.h"

namespace attach {
namespace ctl {

// A new open of the terminal on io.in, non-blocking in a file description
// of its own (the shell's stays as it is), or an empty fd when the session
// is to be relayed: not eligible, disabled, or the terminal cannot be
// reopened (no /proc).
base::UniqueFd OpenHandoffTerminal(const Io& io, bool tty, bool stdin_attached);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_TERMINAL_HANDOFF_H_
