// attach and exec: a live session between the local terminal (or pipes)
// and a process in the container.
#include <csignal>
#include <functional>
#include <optional>

#include "attach/ctl/client_conn.h"
#include "attach/ctl/commands.h"
#include "attach/ctl/interactive.h"
#include "attach/ctl/stream_pump.h"
#include "attach/ctl/terminal_handoff.h"
#include "attach/ctl/terminal_text.h"
#include "attach/detach_keys.h"
#include "base/terminal.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;

// The terminal to take sizes from: stdout's, as docker does, else stdin's.
int SizeSource(const Io& io) {
  if (base::IsTerminal(io.out)) return io.out;
  if (base::IsTerminal(io.in)) return io.in;
  return -1;
}

// Where the request says whether a terminal comes with it.
tether::attach::TerminalHandoff* HandoffOf(Request& req) {
  if (req.has_attach()) return req.mutable_attach()->mutable_handoff();
  if (req.has_exec()) return req.mutable_exec()->mutable_handoff();
  if (req.has_start() && req.start().has_attach()) {
    return req.mutable_start()->mutable_attach()->mutable_handoff();
  }
  return nullptr;
}

}  // namespace

// The local terminal is raw only inside this function: every return
// path, and the signal path through Outcome::raise_signal, restores it
// before anything else is printed.
base::Result<PumpResult> Converse(const Context& ctx, SessionSpec& spec) {
  const int size_fd = spec.tty ? SizeSource(ctx.io) : -1;
  std::optional<base::WindowSize> size;
  if (size_fd >= 0) size = base::GetWindowSize(size_fd);
  if (size && spec.request.has_attach()) {
    // docker's trick: start one row and column larger, then resize to the
    // real size, so a shell that is already running gets a SIGWINCH and
    // redraws its prompt for the newcomer.
    spec.request.mutable_attach()->set_rows(size->rows + 1);
    spec.request.mutable_attach()->set_cols(size->cols + 1);
  } else if (size && spec.request.has_exec()) {
    spec.request.mutable_exec()->set_rows(size->rows);
    spec.request.mutable_exec()->set_cols(size->cols);
  } else if (size && spec.request.has_start()) {
    // run: the process has not drawn anything yet; its size is the size.
    spec.request.mutable_start()->mutable_attach()->set_rows(size->rows);
    spec.request.mutable_start()->mutable_attach()->set_cols(size->cols);
  }

  TETHER_ASSIGN_OR_RETURN(ClientConn conn,
                          ClientConn::Connect(ctx.socket_path));
  base::UniqueFd terminal =
      OpenHandoffTerminal(ctx.io, spec.tty, spec.stdin_attached);
  tether::attach::TerminalHandoff* handoff =
      terminal ? HandoffOf(spec.request) : nullptr;
  const bool handed_off = handoff != nullptr;
  if (handed_off) {
    handoff->set_terminal(true);
    handoff->set_detach_keys(spec.detach_keys);
  }
  // The request (with the terminal, when handed over), then the size.
  auto send = [&]() -> base::Status {
    base::Status s = handed_off ? conn.SendWithFd(spec.request, terminal.get())
                                : conn.Send(spec.request);
    terminal.Reset();  // attachd has its own copy now.
    if (s.ok() && size) s = conn.Send(ResizeTo(*size));
    return s;
  };
  if (!handed_off) TETHER_RETURN_IF_ERROR(send());

  // Raw input so keystrokes (^C, ^Z, the detach keys) reach the container;
  // raw output so its own terminal's line discipline is the only one. Set
  // by the pump once it handles signals; restored when these go out of
  // scope (the pump is over by then).
  std::optional<base::ScopedRawMode> raw_in;
  std::optional<base::ScopedRawMode> raw_out;
  PumpOptions options;
  options.on_ready = [&]() -> base::Status {
    if (spec.tty && spec.stdin_attached) {
      raw_in.emplace(ctx.io.in);
      raw_out.emplace(ctx.io.out);
    }
    // attachd writes to a handed-over terminal as soon as it has it: only
    // once the terminal is raw.
    return handed_off ? send() : base::Status::Ok();
  };
  // A handed-over terminal is read and written by attachd alone.
  options.in_fd = spec.stdin_attached && !handed_off ? ctx.io.in : -1;
  options.out_fd = ctx.io.out;
  options.err_fd = ctx.io.err;
  if (spec.tty && spec.stdin_attached && !handed_off) {
    options.detach_keys = spec.detach_keys;
  }
  options.winsize_fd = size_fd;
  options.sent_size = size;
  options.forward_signal = spec.forward_signal;
  return RunPump(conn, options);
}

Outcome SessionOutcome(const Context& ctx, const PumpResult& r,
                       int closed_code) {
  switch (r.end) {
    case PumpResult::End::kExited:
      // An error with an exit code is the process's failure to start
      // (exec of a missing command: 127; a VM whose tether failed: 125):
      // attachd's text is the message.
      if (!r.error.empty()) Print(ctx.io.err, TerminalSafe(r.error) + "\n");
      return Outcome{r.exit_code};
    case PumpResult::End::kDetached:
      // docker returns term.EscapeError here, printed as such, exit 1.
      Print(ctx.io.err, "read escape sequence\n");
      return Outcome{1};
    case PumpResult::End::kSignalled:
      return Outcome{128 + r.signo, r.signo};
    case PumpResult::End::kOutputClosed:
      return Outcome{128 + SIGPIPE, SIGPIPE};
    case PumpResult::End::kClosed:
      break;
  }
  Print(ctx.io.err,
        r.error.empty()
            ? "Error: attachd closed the connection before the process exited\n"
            : DaemonError(r.error) + "\n");
  return Outcome{closed_code};
}

namespace {

// Runs a session and turns its end into docker's output and exit code.
Outcome RunSession(const Context& ctx, SessionSpec& spec) {
  if (spec.tty && spec.stdin_attached && !base::IsTerminal(ctx.io.in)) {
    Print(ctx.io.err, "the input device is not a TTY\n");
    return Outcome{1};
  }
  base::Result<PumpResult> r = Converse(ctx, spec);
  if (!r.ok()) {
    PrintFailure(ctx, r.status());
    return Outcome{1};
  }
  return SessionOutcome(ctx, *r, 1);
}

// The detach key bytes, or nullopt once the error has been printed.
std::optional<std::string> DetachKeys(const Context& ctx,
                                      const std::string& spec) {
  base::Result<std::string> keys = ParseDetachKeys(spec);
  if (keys.ok()) return std::move(keys).value();
  Print(ctx.io.err, keys.status().message() + "\n");
  return std::nullopt;
}

}  // namespace

Outcome RunAttach(const Invocation& inv, const Context& ctx) {
  SessionSpec spec;
  std::optional<std::string> keys = DetachKeys(ctx, inv.attach.detach_keys);
  if (!keys) return Outcome{1};
  spec.detach_keys = std::move(*keys);

  // Like docker: look first, to know whether the container has a tty and
  // an open stdin, and to refuse an exited one.
  std::optional<ContainerInfo> info =
      FetchContainerOrReport(ctx, inv.containers.front());
  if (!info) return Outcome{1};
  const ContainerInfo& c = *info;
  if (c.status.state() == "exited" || c.status.state() == "dead") {
    Print(ctx.io.err, "cannot attach to a stopped container, start it first\n");
    return Outcome{1};
  }
  // Unknown settings (no config) count as an open stdin: attachd knows
  // better and drops what the container does not read.
  const bool open_stdin = !c.facts || c.facts->open_stdin;
  spec.tty = c.status.tty();
  spec.stdin_attached = !inv.attach.no_stdin && open_stdin;

  const std::string id = c.status.id();
  auto* a = spec.request.mutable_attach();
  a->mutable_container()->set_ref(id);
  a->set_stdin(spec.stdin_attached);
  if (!spec.tty && inv.attach.sig_proxy) {
    // docker's --sig-proxy: ^C in a non-tty attach signals the container,
    // through a kill request of its own (the session connection carries
    // only stdin and sizes).
    spec.forward_signal = [&ctx, id](int signo) {
      Request kill;
      kill.mutable_kill()->mutable_container()->set_ref(id);
      kill.mutable_kill()->set_signo(signo);
      (void)Call(ctx, kill);
    };
  }
  return RunSession(ctx, spec);
}

Outcome RunExec(const Invocation& inv, const Context& ctx) {
  const ExecArgs& e = inv.exec;
  SessionSpec spec;
  std::optional<std::string> keys = DetachKeys(ctx, e.detach_keys);
  if (!keys) return Outcome{1};
  spec.detach_keys = std::move(*keys);
  spec.tty = e.tty;
  spec.stdin_attached = e.interactive;

  auto* x = spec.request.mutable_exec();
  x->mutable_container()->set_ref(inv.containers.front());
  for (const std::string& arg : e.command) x->add_args(arg);
  for (const std::string& env : ResolveEnvFlags(e.env)) x->add_env(env);
  x->set_user(e.user);
  x->set_workdir(e.workdir);
  x->set_tty(e.tty);
  x->set_stdin(e.interactive);
  return RunSession(ctx, spec);
}

}  // namespace ctl
}  // namespace attach
