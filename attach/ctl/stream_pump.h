// The interactive half of attach and exec: local stdin to attachd, the
// session's output to local stdout/stderr, terminal size changes and
// signals, until the process exits, the user detaches, or either side goes
// away.
//
// Runs its own libuv loop on the calling thread and returns when done,
// with every handle closed and the loop closed. The caller has already
// sent the AttachRequest/ExecRequest (and the first ResizeRequest) on
// `conn` and owns terminal modes: the pump never changes the local
// terminal's settings, and puts stdin's file status flags back as it found
// them (libuv makes a polled fd non-blocking, and the shell shares it).
#ifndef TETHER_ATTACH_CTL_STREAM_PUMP_H_
#define TETHER_ATTACH_CTL_STREAM_PUMP_H_

#include <functional>
#include <optional>
#include <string>

#include "attach/ctl/client_conn.h"
#include "base/result.h"
#include "base/terminal.h"

namespace attach {
namespace ctl {

struct PumpOptions {
  int in_fd = -1;  // Forwarded as StdinData, its EOF as StdinClose; -1: none.
  int out_fd = 1;  // STREAM_STDOUT (and a tty session's only stream).
  int err_fd = 2;  // STREAM_STDERR.
  // Bytes that detach (a tty session with stdin); empty: never detach.
  std::string detach_keys;
  // Terminal whose size is sent as a ResizeRequest on every SIGWINCH that
  // changed it; -1 for none (not a tty session, or no local terminal).
  int winsize_fd = -1;
  // The size the caller already sent. Once SIGWINCH is watched the pump
  // compares and sends the current size if it differs, so a resize in the
  // gap before the watch started is not lost.
  std::optional<base::WindowSize> sent_size;
  // Called once every signal watch is in place, before any I/O: the moment
  // to put the terminal in raw mode, when a signal can no longer kill the
  // process with the terminal left raw (and, for a terminal handoff, to
  // send the request, as attachd writes to the terminal once it has it).
  // An error ends the pump with it.
  std::function<base::Status()> on_ready;
  // When set, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 are
  // handed to it (docker's --sig-proxy) and the pump keeps going; when
  // unset, the first of them ends the pump with End::kSignalled.
  std::function<void(int signo)> forward_signal;
};

struct PumpResult {
  enum class End {
    kExited,        // attachd sent exit_code.
    kDetached,      // The detach keys were typed.
    kClosed,        // attachd ended the stream without an exit code.
    kSignalled,     // A terminating signal (signo) with no forwarding.
    kOutputClosed,  // Local stdout or stderr is a broken pipe.
  };
  End end = End::kClosed;
  int exit_code = 0;    // kExited.
  int signo = 0;        // kSignalled.
  std::string error;    // A Response.error attachd sent, if any.
  std::string exec_id;  // Response.exec_id, if attachd sent one.
};

// The ResizeRequest for a terminal of `size`.
tether::attach::Request ResizeTo(base::WindowSize size);

// Pumps until one of PumpResult::End happens. Errors: a broken frame or
// message from attachd (kInvalidArgument), a read/write error on the
// socket or a local fd other than EPIPE on output (kIoError), a libuv
// setup failure.
base::Result<PumpResult> RunPump(ClientConn& conn, const PumpOptions& options);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_STREAM_PUMP_H_
