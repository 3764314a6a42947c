// ps and inspect: container status, as a table or as JSON.
#include <vector>

#include "attach/ctl/client_conn.h"
#include "attach/ctl/commands.h"
#include "attach/ctl/inspect_json.h"
#include "attach/ctl/ps_table.h"
#include "attach/docker/time_format.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::ContainerStatus;
using tether::attach::Request;
using tether::attach::Response;

// Every ContainerStatus attachd lists, up to `done` (or the end of the
// connection). `*daemon_error` gets attachd's refusal, if any.
base::Result<std::vector<ContainerStatus>> List(const Context& ctx, bool all,
                                                std::string* daemon_error) {
  TETHER_ASSIGN_OR_RETURN(ClientConn conn,
                          ClientConn::Connect(ctx.socket_path));
  Request req;
  req.mutable_list()->set_all(all);
  TETHER_RETURN_IF_ERROR(conn.Send(req));
  std::vector<ContainerStatus> out;
  for (;;) {
    TETHER_ASSIGN_OR_RETURN(std::optional<Response> resp, conn.Receive());
    if (!resp || resp->has_done()) return out;
    if (resp->has_error()) {
      *daemon_error = resp->error();
      return out;
    }
    if (resp->has_status()) out.push_back(resp->status());
  }
}

}  // namespace

Outcome RunPs(const Invocation& inv, const Context& ctx) {
  std::string daemon_error;
  base::Result<std::vector<ContainerStatus>> list =
      List(ctx, inv.ps.all, &daemon_error);
  if (!list.ok()) {
    PrintFailure(ctx, list.status());
    return Outcome{1};
  }
  if (!daemon_error.empty()) {
    Print(ctx.io.err, DaemonError(daemon_error) + "\n");
    return Outcome{1};
  }
  PsOptions options;
  options.no_trunc = inv.ps.no_trunc;
  options.quiet = inv.ps.quiet;
  int64_t now = ctx.now != nullptr ? ctx.now() : docker::NowUnixNanos();
  Print(ctx.io.out, FormatPs(std::move(list).value(), options, now));
  return Outcome{0};
}

Outcome RunInspect(const Invocation& inv, const Context& ctx) {
  std::vector<nlohmann::ordered_json> objects;
  std::string errors;
  for (const std::string& ref : inv.containers) {
    std::string daemon_error;
    base::Result<std::optional<ContainerInfo>> info =
        FetchContainer(ctx, ref, &daemon_error);
    if (!info.ok()) {
      PrintFailure(ctx, info.status());
      return Outcome{1};
    }
    if (!info->has_value()) {
      // docker inspect looks for any kind of object, hence its wording.
      errors += IsNoSuchContainer(daemon_error)
                    ? "Error: No such object: " + ref + "\n"
                    : DaemonError(daemon_error) + "\n";
      continue;
    }
    const ContainerInfo& c = **info;
    objects.push_back(InspectObject(c.status, c.facts ? &*c.facts : nullptr));
  }
  // Like docker: what was found (or "[]") on stdout, then the errors.
  Print(ctx.io.out, RenderInspect(objects));
  Print(ctx.io.err, errors);
  return Outcome{errors.empty() ? 0 : 1};
}

}  // namespace ctl
}  // namespace attach
