// run: docker run for container VMs. Like the docker CLI it creates the
// container, attaches, then starts it; here attach and start travel as
// one StartRequest, so attachd registers the attach before QEMU starts
// and not a byte of output is missed. With -d it starts the VM, waits
// for its tether, and prints the id. Without an attachd to talk to, it
// starts one (attachd_starter.h).
#include <csignal>
#include <optional>
#include <string>

#include "attach/ctl/attachd_starter.h"
#include "attach/ctl/commands.h"
#include "attach/ctl/detach_keys.h"
#include "attach/ctl/interactive.h"
#include "base/terminal.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;

// docker run's code when the container could not be created or started.
constexpr int kRunFailed = 125;
// What a VM's tether dials; attachd uses it for every VM it boots, and
// the record says so too, so inspect tells the truth.
constexpr char kVmEndpoint[] = "serial:/dev/virtio-ports/org.tether.attach";

// Creates the container: its id, or nullopt once the error is printed.
std::optional<std::string> Create(const Invocation& inv, const Context& ctx) {
  base::Result<Request> req = CreateRequestFor(inv.create);
  if (!req.ok()) {
    Print(ctx.io.err, "tetherctl: " + req.status().message() +
                          "\nSee 'tetherctl run --help'.\n");
    return std::nullopt;
  }
  if (inv.create.endpoint.empty()) {
    req->mutable_create()->set_endpoint(kVmEndpoint);
  }
  base::Result<std::optional<Response>> resp = Call(ctx, *req);
  if (!resp.ok()) {
    PrintFailure(ctx, resp.status());
    return std::nullopt;
  }
  if (resp->has_value() && (*resp)->has_error()) {
    Print(ctx.io.err, DaemonError((*resp)->error()) + "\n");
    return std::nullopt;
  }
  if (!resp->has_value() || !(*resp)->has_created_id()) {
    Print(ctx.io.err, "Error: attachd did not return a container id\n");
    return std::nullopt;
  }
  return (*resp)->created_id();
}

// --rm: docker's CLI waits for the removal too. attachd removes an
// auto_remove container itself once its VM is gone; asking as well makes
// it gone when run returns (a VM still powering off is killed).
void RemoveNow(const Context& ctx, const std::string& id) {
  Request req;
  req.mutable_remove()->mutable_container()->set_ref(id);
  req.mutable_remove()->set_force(true);
  (void)Call(ctx, req);
}

Outcome RunDetached(const Context& ctx, const std::string& id) {
  Request req;
  req.mutable_start()->mutable_container()->set_ref(id);
  base::Result<std::optional<Response>> resp = Call(ctx, req);
  if (!resp.ok()) {
    PrintFailure(ctx, resp.status());
    return Outcome{kRunFailed};
  }
  if (resp->has_value() && (*resp)->has_error()) {
    Print(ctx.io.err, DaemonError((*resp)->error()) + "\n");
    return Outcome{kRunFailed};
  }
  Print(ctx.io.out, id + "\n");
  return Outcome{0};
}

Outcome RunAttached(const Invocation& inv, const Context& ctx,
                    const std::string& id, SessionSpec& spec) {
  base::Result<PumpResult> r = Converse(ctx, spec);
  if (!r.ok()) {
    PrintFailure(ctx, r.status());
    return Outcome{kRunFailed};
  }
  switch (r->end) {
    case PumpResult::End::kExited:
      // The VM failed (its tether's error) or an exec-like start failure.
      if (!r->error.empty()) Print(ctx.io.err, r->error + "\n");
      if (inv.create.rm) RemoveNow(ctx, id);
      return Outcome{r->exit_code};
    case PumpResult::End::kDetached:
      Print(ctx.io.err, "read escape sequence\n");
      return Outcome{1};
    case PumpResult::End::kSignalled:
      return Outcome{128 + r->signo, r->signo};
    case PumpResult::End::kOutputClosed:
      return Outcome{128 + SIGPIPE, SIGPIPE};
    case PumpResult::End::kClosed:
      break;
  }
  // attachd refused the start (no image, no QEMU) or went away.
  Print(ctx.io.err,
        r->error.empty()
            ? "Error: attachd closed the connection before the container "
              "exited\n"
            : DaemonError(r->error) + "\n");
  if (inv.create.rm && !r->error.empty()) RemoveNow(ctx, id);
  return Outcome{kRunFailed};
}

}  // namespace

Outcome RunRun(const Invocation& inv, const Context& ctx) {
  const CreateArgs& c = inv.create;
  SessionSpec spec;
  spec.tty = c.tty;
  spec.stdin_attached = c.interactive;
  if (!inv.run.detach) {
    if (spec.tty && spec.stdin_attached && !base::IsTerminal(ctx.io.in)) {
      Print(ctx.io.err, "the input device is not a TTY\n");
      return Outcome{1};
    }
    base::Result<std::string> keys = ParseDetachKeys(inv.run.detach_keys);
    if (!keys.ok()) {
      Print(ctx.io.err, keys.status().message() + "\n");
      return Outcome{kRunFailed};
    }
    spec.detach_keys = std::move(keys).value();
  }
  base::Status up = EnsureAttachd(ctx, inv.state_dir, inv.run.listen);
  if (!up.ok()) {
    PrintFailure(ctx, up);
    return Outcome{kRunFailed};
  }
  std::optional<std::string> id = Create(inv, ctx);
  if (!id) return Outcome{kRunFailed};
  if (inv.run.detach) return RunDetached(ctx, *id);

  auto* a = spec.request.mutable_start();
  a->mutable_container()->set_ref(*id);
  a->mutable_attach()->set_stdin(spec.stdin_attached);
  if (!spec.tty && inv.run.sig_proxy) {
    // docker run --sig-proxy: ^C and friends reach the container.
    std::string ref = *id;
    spec.forward_signal = [&ctx, ref](int signo) {
      Request kill;
      kill.mutable_kill()->mutable_container()->set_ref(ref);
      kill.mutable_kill()->set_signo(signo);
      (void)Call(ctx, kill);
    };
  }
  return RunAttached(inv, ctx, *id, spec);
}

}  // namespace ctl
}  // namespace attach
