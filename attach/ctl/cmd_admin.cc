// create, config, kill, wait, start and rm: a request and an answer each.
#include <signal.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "attach/ctl/commands.h"
#include "attach/ctl/memory_flag.h"
#include "attach/ctl/publish_flag.h"
#include "guestinfo/signal_names.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;

// docker create and run exit 125 when the container could not be made.
constexpr int kCreateFailed = 125;

// What a command prints for one container's answer (null: attachd closed
// the connection without one), or nullopt when the answer is not what the
// command needs.
using AnswerText = std::function<std::optional<std::string>(
    const std::string& ref, const Response* answer)>;

// For each container in turn: send make(ref); on success print
// ok_text(ref, answer); collect attachd's errors and print them together
// at the end, one a line, as docker's multi-container commands do. With
// `tolerate_missing` (rm -f), "No such container" is printed at once and
// does not fail the command.
Outcome ForEachContainer(const Invocation& inv, const Context& ctx,
                         const std::function<Request(const std::string&)>& make,
                         const AnswerText& ok_text,
                         bool tolerate_missing = false) {
  std::string errors;
  for (const std::string& ref : inv.containers) {
    base::Result<std::optional<Response>> resp = Call(ctx, make(ref));
    if (!resp.ok()) {
      // No attachd: every other container would fail the same way.
      PrintFailure(ctx, resp.status());
      return Outcome{1};
    }
    const std::optional<Response>& r = *resp;
    if (r && r->has_error()) {
      if (tolerate_missing && IsNoSuchContainer(r->error())) {
        Print(ctx.io.err, DaemonError(r->error()) + "\n");
      } else {
        errors += DaemonError(r->error()) + "\n";
      }
      continue;
    }
    std::optional<std::string> text = ok_text(ref, r ? &*r : nullptr);
    if (!text) {
      errors += "Error: attachd sent no answer for " + ref + "\n";
      continue;
    }
    Print(ctx.io.out, *text);
  }
  Print(ctx.io.err, errors);
  return Outcome{errors.empty() ? 0 : 1};
}

// kill and rm echo the reference as typed. attachd answers `done` or just
// closes the connection; either is success.
std::optional<std::string> PrintRef(const std::string& ref, const Response*) {
  return ref + "\n";
}

}  // namespace

base::Result<Request> CreateRequestFor(const CreateArgs& a) {
  TETHER_ASSIGN_OR_RETURN(uint32_t memory_mb, ParseMemoryMb(a.memory));
  Request req;
  auto* c = req.mutable_create();
  c->set_name(a.name);
  c->set_tty(a.tty);
  c->set_open_stdin(a.interactive);
  for (const std::string& e : ResolveEnvFlags(a.env)) c->add_env(e);
  c->set_user(a.user);
  c->set_workdir(a.workdir);
  for (const std::string& arg : a.command) c->add_args(arg);
  c->set_endpoint(a.endpoint);
  c->set_attach_before_start(a.attach_before_start);
  c->set_memory_mb(memory_mb);
  c->set_auto_remove(a.rm);
  c->set_image(a.image);
  c->set_image_from_args(a.image.empty() && !a.dashdash);
  for (const std::string& spec : a.publish) {
    TETHER_ASSIGN_OR_RETURN(std::vector<tether::attach::PortBinding> ports,
                            ParsePublish(spec));
    for (auto& p : ports) *c->add_ports() = std::move(p);
  }
  c->set_publish_all(a.publish_all);
  if (!a.entrypoint.empty()) {
    c->set_entrypoint_set(true);
    if (!a.entrypoint[0].empty()) c->add_entrypoint(a.entrypoint[0]);
  }
  c->set_network(a.network);
  return req;
}

std::optional<std::string> CreateContainer(const Context& ctx,
                                           const Request& req) {
  base::Result<std::optional<Response>> resp = Call(ctx, req);
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

Outcome RunCreate(const Invocation& inv, const Context& ctx) {
  base::Result<Request> req = CreateRequestFor(inv.create);
  if (!req.ok()) {
    Print(ctx.io.err, "tetherctl: " + req.status().message() +
                          "\nSee 'tetherctl create --help'.\n");
    return Outcome{kCreateFailed};
  }
  std::optional<std::string> id = CreateContainer(ctx, *req);
  if (!id) return Outcome{kCreateFailed};
  Print(ctx.io.out, *id + "\n");
  return Outcome{0};
}

Outcome RunConfig(const Invocation& inv, const Context& ctx) {
  return ForEachContainer(
      inv, ctx,
      [](const std::string& ref) {
        Request req;
        req.mutable_config()->set_ref(ref);
        return req;
      },
      [](const std::string&, const Response* r) -> std::optional<std::string> {
        if (r == nullptr || !r->has_config_json()) return std::nullopt;
        std::string json = r->config_json();
        if (json.empty() || json.back() != '\n') json += '\n';
        return json;
      });
}

Outcome RunKill(const Invocation& inv, const Context& ctx) {
  int signo = SIGKILL;
  if (!inv.kill_signal.empty()) {
    base::Result<int> parsed = guestinfo::ParseSignal(inv.kill_signal);
    if (!parsed.ok()) {
      // The daemon's wording for the same mistake.
      Print(ctx.io.err, "Invalid signal: " + inv.kill_signal + "\n");
      return Outcome{1};
    }
    signo = *parsed;
  }
  return ForEachContainer(
      inv, ctx,
      [signo](const std::string& ref) {
        Request req;
        req.mutable_kill()->mutable_container()->set_ref(ref);
        req.mutable_kill()->set_signo(signo);
        return req;
      },
      PrintRef);
}

Outcome RunWait(const Invocation& inv, const Context& ctx) {
  return ForEachContainer(
      inv, ctx,
      [](const std::string& ref) {
        Request req;
        req.mutable_wait()->mutable_container()->set_ref(ref);
        return req;
      },
      [](const std::string&, const Response* r) -> std::optional<std::string> {
        if (r == nullptr || !r->has_exit_code()) return std::nullopt;
        return std::to_string(r->exit_code()) + "\n";
      });
}

Outcome RunStart(const Invocation& inv, const Context& ctx) {
  return ForEachContainer(
      inv, ctx,
      [](const std::string& ref) {
        Request req;
        req.mutable_start()->mutable_container()->set_ref(ref);
        return req;
      },
      PrintRef);
}

Outcome RunRm(const Invocation& inv, const Context& ctx) {
  const bool force = inv.rm_force;
  return ForEachContainer(
      inv, ctx,
      [force](const std::string& ref) {
        Request req;
        req.mutable_remove()->mutable_container()->set_ref(ref);
        req.mutable_remove()->set_force(force);
        return req;
      },
      PrintRef, /*tolerate_missing=*/force);
}

}  // namespace ctl
}  // namespace attach
