// load, import, images, rmi, tag, image inspect and port: docker's image
// commands (and docker port) against attachd's image store.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "attach/ctl/client_conn.h"
#include "attach/ctl/commands.h"
#include "attach/ctl/image_table.h"
#include "attach/docker/time_format.h"
#include "base/terminal.h"
#include "base/unique_fd.h"

namespace attach {
namespace ctl {
namespace {

using tether::attach::Request;
using tether::attach::Response;

// Well under the 1 MiB frame limit; attachd pauses reading when its
// worker is behind, so a blocking send is the backpressure.
constexpr size_t kChunk = 256 * 1024;

// One progress line on a terminal, rewritten in place as docker's bars.
void PrintProgress(const Context& ctx, const tether::attach::ImageProgress& p) {
  std::string line = "\r" + p.id() + ": " + p.status() + " " +
                     HumanSize(p.current()) + "/" + HumanSize(p.total());
  if (p.current() >= p.total()) line += "\n";
  Print(ctx.io.out, line);
}

// Sends `first`, then the bytes of `in` as stdin frames, and prints what
// attachd answers: progress (on a terminal), message lines, the error.
Outcome Upload(const Context& ctx, const Request& first, int in) {
  base::Result<ClientConn> conn = ClientConn::Connect(ctx.socket_path);
  if (!conn.ok()) {
    PrintFailure(ctx, conn.status());
    return Outcome{1};
  }
  base::Status sent = conn->Send(first);
  std::string buf(kChunk, '\0');
  while (sent.ok()) {
    ssize_t n = ::read(in, &buf[0], buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Print(ctx.io.err, std::string("Error: read: ") + std::strerror(errno) + "\n");
      return Outcome{1};
    }
    Request req;
    if (n == 0) {
      req.mutable_stdin_close();
      sent = conn->Send(req);
      break;
    }
    req.mutable_stdin()->set_data(buf.data(), static_cast<size_t>(n));
    sent = conn->Send(req);
  }
  // A send that failed means attachd gave up early: its answer says why.
  bool tty = base::IsTerminal(ctx.io.out);
  for (;;) {
    base::Result<std::optional<Response>> r = conn->Receive();
    if (!r.ok() || !r->has_value()) {
      Print(ctx.io.err, "Error: attachd closed the connection before the "
                        "load finished\n");
      return Outcome{1};
    }
    const Response& resp = **r;
    if (resp.has_error()) {
      Print(ctx.io.err, DaemonError(resp.error()) + "\n");
      return Outcome{1};
    }
    if (resp.has_progress() && tty) PrintProgress(ctx, resp.progress());
    if (resp.has_message()) Print(ctx.io.out, resp.message() + "\n");
    if (resp.has_done()) return Outcome{0};
  }
}

base::Result<base::UniqueFd> OpenInput(const std::string& path) {
  if (path.empty() || path == "-") return base::UniqueFd(::dup(0));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return base::Status::Io("open " + path, errno);
  return base::UniqueFd(fd);
}

// Every response of a one-command connection; prints errors.
std::optional<std::vector<Response>> CallAll(const Context& ctx,
                                             const Request& req) {
  base::Result<ClientConn> conn = ClientConn::Connect(ctx.socket_path);
  base::Status s = conn.ok() ? conn->Send(req) : conn.status();
  if (!s.ok()) {
    PrintFailure(ctx, s);
    return std::nullopt;
  }
  std::vector<Response> out;
  for (;;) {
    base::Result<std::optional<Response>> r = conn->Receive();
    if (!r.ok() || !r->has_value()) return out;
    if ((*r)->has_error()) {
      Print(ctx.io.err, DaemonError((*r)->error()) + "\n");
      return std::nullopt;
    }
    out.push_back(std::move(**r));
  }
}

}  // namespace

Outcome RunLoad(const Invocation& inv, const Context& ctx) {
  base::Result<base::UniqueFd> in = OpenInput(inv.image.input);
  if (!in.ok()) {
    Print(ctx.io.err, "Error: " + in.status().message() + "\n");
    return Outcome{1};
  }
  if (inv.image.input.empty() && base::IsTerminal(in->get())) {
    Print(ctx.io.err, "requested load from stdin, but stdin is empty\n");
    return Outcome{1};
  }
  Request req;
  req.mutable_load()->set_quiet(inv.image.quiet);
  return Upload(ctx, req, in->get());
}

Outcome RunImport(const Invocation& inv, const Context& ctx) {
  base::Result<base::UniqueFd> in = OpenInput(inv.args[0]);
  if (!in.ok()) {
    Print(ctx.io.err, "Error: " + in.status().message() + "\n");
    return Outcome{1};
  }
  Request req;
  auto* r = req.mutable_import_image();
  if (inv.args.size() > 1) r->set_tag(inv.args[1]);
  for (const std::string& c : inv.image.changes) r->add_changes(c);
  r->set_message(inv.image.message);
  return Upload(ctx, req, in->get());
}

Outcome RunImages(const Invocation& inv, const Context& ctx) {
  Request req;
  req.mutable_images()->set_all(inv.image.all);
  std::optional<std::vector<Response>> all = CallAll(ctx, req);
  if (!all) return Outcome{1};
  std::vector<tether::attach::ImageSummary> images;
  for (const Response& r : *all) {
    if (r.has_image()) images.push_back(r.image());
  }
  ImagesOptions o;
  o.quiet = inv.image.quiet;
  o.no_trunc = inv.image.no_trunc;
  if (!inv.args.empty()) o.filter = inv.args[0];
  int64_t now = ctx.now != nullptr ? ctx.now() : docker::NowUnixNanos();
  Print(ctx.io.out, FormatImages(std::move(images), o, now));
  return Outcome{0};
}

Outcome RunRmi(const Invocation& inv, const Context& ctx) {
  int rc = 0;
  for (const std::string& ref : inv.args) {
    Request req;
    req.mutable_rmi()->set_ref(ref);
    req.mutable_rmi()->set_force(inv.image.force);
    std::optional<std::vector<Response>> all = CallAll(ctx, req);
    if (!all) {
      rc = 1;
      continue;
    }
    for (const Response& r : *all) {
      if (r.has_message()) Print(ctx.io.out, r.message() + "\n");
    }
  }
  return Outcome{rc};
}

Outcome RunTag(const Invocation& inv, const Context& ctx) {
  Request req;
  req.mutable_tag()->set_source(inv.args[0]);
  req.mutable_tag()->set_target(inv.args[1]);
  return Outcome{CallAll(ctx, req) ? 0 : 1};
}

Outcome RunImageInspect(const Invocation& inv, const Context& ctx) {
  nlohmann::json out = nlohmann::json::array();
  int rc = 0;
  for (size_t i = 1; i < inv.args.size(); ++i) {
    Request req;
    req.set_image_inspect(inv.args[i]);
    std::optional<std::vector<Response>> all = CallAll(ctx, req);
    if (!all || all->empty() || !all->front().has_image_json()) {
      rc = 1;
      continue;
    }
    out.push_back(nlohmann::json::parse(all->front().image_json(), nullptr, false));
  }
  Print(ctx.io.out, out.dump(4) + "\n");
  return Outcome{rc};
}

Outcome RunPort(const Invocation& inv, const Context& ctx) {
  std::optional<ContainerInfo> info =
      FetchContainerOrReport(ctx, inv.containers[0]);
  if (!info) return Outcome{1};
  if (info->status.state() != "running") return Outcome{0};
  for (const tether::attach::PortBinding& p : info->status.ports()) {
    Print(ctx.io.out, std::to_string(p.container_port()) + "/" + p.proto() +
                          " -> " +
                          (p.host_ip().empty() ? "0.0.0.0" : p.host_ip()) +
                          ":" + std::to_string(p.host_port()) + "\n");
  }
  return Outcome{0};
}

}  // namespace ctl
}  // namespace attach
