// run: docker run for container VMs. Like the docker CLI it creates the
// container, attaches, then starts it; here attach and start travel as
// one StartRequest, so attachd registers the attach before QEMU starts
// and not a byte of output is missed. With -d it starts the VM, waits
// for its tether, and prints the id. Without an attachd to talk to, it
// starts one (attachd_starter.h).
#include <optional>
#include <string>

#include "attach/ctl/attachd_starter.h"
#include "attach/ctl/commands.h"
#include "attach/detach_keys.h"
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

// The create request for run's flags, or nullopt once the error (a bad
// --memory) is printed.
std::optional<Request> CreateRequestForRun(const Invocation& inv,
                                           const Context& ctx) {
  base::Result<Request> req = CreateRequestFor(inv.create);
  if (!req.ok()) {
    Print(ctx.io.err, "tetherctl: " + req.status().message() +
                          "\nSee 'tetherctl run --help'.\n");
    return std::nullopt;
  }
  if (inv.create.endpoint.empty()) {
    req->mutable_create()->set_endpoint(kVmEndpoint);
  }
  return std::move(req).value();
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
  // A closed session with an error is a start attachd refused (no image,
  // no QEMU): docker run's 125, and --rm applies as to an exit.
  bool ended = r->end == PumpResult::End::kExited ||
               (r->end == PumpResult::End::kClosed && !r->error.empty());
  Outcome out = SessionOutcome(ctx, *r, kRunFailed);
  if (inv.create.rm && ended) RemoveNow(ctx, id);
  return out;
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
  // Flags first: a typo must not start a daemon.
  std::optional<Request> create = CreateRequestForRun(inv, ctx);
  if (!create) return Outcome{kRunFailed};
  base::Status up = EnsureAttachd(ctx, inv.state_dir, inv.run.listen);
  if (!up.ok()) {
    PrintFailure(ctx, up);
    return Outcome{kRunFailed};
  }
  std::optional<std::string> id = CreateContainer(ctx, *create);
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
