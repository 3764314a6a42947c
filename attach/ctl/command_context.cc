#include "attach/ctl/command_context.h"

#include "attach/ctl/client_conn.h"
#include "attach/ctl/terminal_text.h"
#include "base/fd_io.h"

namespace attach {
namespace ctl {

using tether::attach::Request;
using tether::attach::Response;

void Print(int fd, std::string_view text) {
  (void)base::WriteAll(fd, text.data(), text.size());
}

std::string DaemonError(const std::string& msg) {
  // attachd passes on text a tether chose (review F14).
  return "Error response from daemon: " + TerminalSafe(msg);
}

bool IsNoSuchContainer(const std::string& msg) {
  return msg.rfind("No such container", 0) == 0;
}

base::Result<std::optional<Response>> Call(const Context& ctx,
                                           const Request& req) {
  TETHER_ASSIGN_OR_RETURN(ClientConn conn,
                          ClientConn::Connect(ctx.socket_path));
  TETHER_RETURN_IF_ERROR(conn.Send(req));
  return conn.Receive();
}

base::Result<std::optional<ContainerInfo>> FetchContainer(
    const Context& ctx, const std::string& ref, std::string* daemon_error) {
  Request req;
  req.mutable_inspect()->set_ref(ref);
  TETHER_ASSIGN_OR_RETURN(std::optional<Response> resp, Call(ctx, req));
  if (!resp) {
    return base::Status::Unavailable(
        "attachd closed the connection without "
        "an answer");
  }
  if (resp->has_error()) {
    *daemon_error = resp->error();
    return std::optional<ContainerInfo>();
  }
  if (!resp->has_status()) {
    return base::Status::Internal("unexpected answer from attachd to inspect");
  }
  ContainerInfo info;
  info.status = resp->status();

  // The settings docker shows under Config live in the tether config;
  // without them inspect still has everything else to show.
  Request config;
  config.mutable_config()->set_ref(info.status.id());
  base::Result<std::optional<Response>> doc = Call(ctx, config);
  if (doc.ok() && doc->has_value() && (*doc)->has_config_json()) {
    base::Result<SessionFacts> facts =
        PrimarySessionFacts((*doc)->config_json());
    if (facts.ok()) info.facts = std::move(facts).value();
  }
  return std::optional<ContainerInfo>(std::move(info));
}

void PrintFailure(const Context& ctx, const base::Status& s) {
  Print(ctx.io.err, s.message() + "\n");
}

std::optional<ContainerInfo> FetchContainerOrReport(const Context& ctx,
                                                    const std::string& ref) {
  std::string daemon_error;
  base::Result<std::optional<ContainerInfo>> info =
      FetchContainer(ctx, ref, &daemon_error);
  if (!info.ok()) {
    PrintFailure(ctx, info.status());
    return std::nullopt;
  }
  if (!info->has_value()) Print(ctx.io.err, DaemonError(daemon_error) + "\n");
  return std::move(info).value();
}

}  // namespace ctl
}  // namespace attach
