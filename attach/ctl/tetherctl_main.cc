// tetherctl: the user CLI. Parses the command line, runs one command
// against attachd, and exits the way docker's CLI would.
#include <signal.h>

#include <cstdlib>
#include <exception>

#include "attach/ctl/cli_args.h"
#include "attach/ctl/client_conn.h"
#include "attach/ctl/commands.h"
#include "base/fd_io.h"

namespace {

int Main(int argc, char** argv) {
  // Started with stdout closed, the socket to attachd would be fd 1, and
  // what is meant for the user would go to attachd.
  base::EnsureStdio();
  // A closed stdout or socket is an EPIPE where it can be handled: the
  // terminal may be in raw mode and must be restored first.
  ::signal(SIGPIPE, SIG_IGN);
  attach::ctl::ParseOutcome parsed =
      attach::ctl::ParseArgs(argc, argv, std::getenv("TETHER_STATE_DIR"));
  if (!parsed.invocation) {
    attach::ctl::Print(1, parsed.out);
    attach::ctl::Print(2, parsed.err);
    return parsed.exit_code;
  }
  attach::ctl::Context ctx;
  ctx.socket_path = attach::ctl::SocketPath(parsed.invocation->state_dir);
  attach::ctl::Outcome outcome =
      attach::ctl::RunCommand(*parsed.invocation, ctx);
  if (outcome.raise_signal != 0) {
    // Die of the signal that ended us, now that the terminal is restored,
    // so the shell sees it (130 for ^C, 141 for a closed pipe).
    ::signal(outcome.raise_signal, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, outcome.raise_signal);
    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
    ::raise(outcome.raise_signal);
  }
  return outcome.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    // Nothing of ours throws; this is bad_alloc and the like, reported
    // after unwinding has restored the terminal.
    attach::ctl::Print(2, std::string("tetherctl: ") + e.what() + "\n");
    return 125;
  }
}
