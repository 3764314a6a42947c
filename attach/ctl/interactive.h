// The interactive session shared by attach, exec and run: one request
// that turns the connection into a live session, then the stream pump.
#ifndef TETHER_ATTACH_CTL_INTERACTIVE_H_
#define TETHER_ATTACH_CTL_INTERACTIVE_H_

#include <functional>
#include <string>

#include "attach/ctl/command_context.h"
#include "attach/ctl/stream_pump.h"
#include "base/result.h"
#include "client.pb.h"

namespace attach {
namespace ctl {

struct SessionSpec {
  // An AttachRequest, ExecRequest or StartRequest with attach; sizes
  // unset (Converse fills them in from the local terminal).
  tether::attach::Request request;
  bool tty = false;  // The remote process has a terminal.
  bool stdin_attached = false;
  std::string detach_keys;                  // Parsed bytes.
  std::function<void(int)> forward_signal;  // --sig-proxy.
};

// Connects, sends spec.request (and the terminal's size), puts a tty
// session's local terminal in raw mode and pumps until the session ends
// (stream_pump.h); the terminal is restored before it returns. Errors:
// attachd unreachable (ClientConn::Connect's texts) or RunPump's.
base::Result<PumpResult> Converse(const Context& ctx, SessionSpec& spec);

// docker's output and exit code for how a session ended: the process's
// code (its start failure printed first), 1 after detaching, 128+n for a
// signal or a closed stdout, and `closed_code` when attachd ended the
// session without an exit code (its error printed).
Outcome SessionOutcome(const Context& ctx, const PumpResult& r,
                       int closed_code);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_INTERACTIVE_H_
