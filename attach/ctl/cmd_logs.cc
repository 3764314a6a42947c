// logs: a session's stored (and, with -f, live) output.
#include <cerrno>
#include <csignal>
#include <cstdlib>

#include "attach/ctl/client_conn.h"
#include "attach/ctl/commands.h"
#include "attach/ctl/log_lines.h"
#include "base/fd_io.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;

// --tail: "all" (or any negative count) is every line.
base::Result<int64_t> ParseTail(const std::string& tail) {
  if (tail == "all") return int64_t{-1};
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(tail.c_str(), &end, 10);
  if (tail.empty() || *end != '\0' || errno != 0) {
    return base::Status::InvalidArgument(
        "invalid value \"" + tail + "\" for flag --tail: a number or \"all\"");
  }
  return static_cast<int64_t>(n < 0 ? -1 : n);
}

}  // namespace

Outcome RunLogs(const Invocation& inv, const Context& ctx) {
  base::Result<int64_t> tail = ParseTail(inv.logs.tail);
  if (!tail.ok()) {
    Print(ctx.io.err, "Error: " + tail.status().message() + "\n");
    return Outcome{1};
  }
  Request req;
  auto* logs = req.mutable_logs();
  logs->mutable_container()->set_ref(inv.containers.front());
  logs->set_follow(inv.logs.follow);
  // attachd then cuts chunks at line ends and leaves the bytes alone;
  // tetherctl writes the prefixes itself, from each Output.time_ns.
  logs->set_timestamps(inv.logs.timestamps);
  logs->set_tail(*tail);

  base::Result<ClientConn> conn = ClientConn::Connect(ctx.socket_path);
  base::Status s = conn.ok() ? conn->Send(req) : conn.status();
  if (!s.ok()) {
    PrintFailure(ctx, s);
    return Outcome{1};
  }
  LogLines lines(inv.logs.timestamps);
  for (;;) {
    base::Result<std::optional<Response>> resp = conn->Receive();
    if (!resp.ok()) {
      PrintFailure(ctx, resp.status());
      return Outcome{1};
    }
    const std::optional<Response>& r = *resp;
    if (!r || r->has_done() || r->has_exit_code()) return Outcome{0};
    if (r->has_error()) {
      Print(ctx.io.err, DaemonError(r->error()) + "\n");
      return Outcome{1};
    }
    if (!r->has_output()) continue;
    const auto& out = r->output();
    const bool is_err = out.stream() == tether::attach::STREAM_STDERR;
    std::string text = lines.Format(is_err, out.data(), out.time_ns());
    base::Status w = base::WriteAll(is_err ? ctx.io.err : ctx.io.out,
                                    text.data(), text.size());
    // Like any filter whose reader left (`logs | head`): die of SIGPIPE.
    if (w.error_number() == EPIPE) return Outcome{0, SIGPIPE};
    if (!w.ok()) {
      PrintFailure(ctx, w.Annotate("write logs"));
      return Outcome{1};
    }
  }
}

}  // namespace ctl
}  // namespace attach
