// Containers: attach (a hijacked connection) and logs (a streamed answer).
#include "attach/detach_keys.h"
#include "attach/endpoint/api/attach_op.h"
#include "attach/endpoint/api/logs_op.h"
#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/routes.h"
#include "attach/endpoint/api/views.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

constexpr int64_t kNanos = 1000000000;

// docker's since/until: Unix seconds with an optional fraction
// ("1700000000.123456789"); 0 or empty: no bound.
base::Result<int64_t> UnixNanos(const Call& call, const std::string& key) {
  std::string v = call.Query(key);
  if (v.empty()) return 0;
  size_t dot = v.find('.');
  std::string secs = v.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : v.substr(dot + 1);
  bool ok = !secs.empty() && secs.size() <= 12 && frac.size() <= 9 &&
            secs.find_first_not_of("0123456789") == std::string::npos &&
            frac.find_first_not_of("0123456789") == std::string::npos;
  if (!ok) {
    return base::Status::InvalidArgument("invalid value for " + key + ": " + v);
  }
  frac.resize(9, '0');
  return std::stoll(secs) * kNanos + std::stoll(frac);
}

bool IsTty(const Container& c) {
  return ContainerConfig(c.record()).value("Tty", c.record().tty);
}

}  // namespace

void ContainerAttach(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  if (c->state() == "exited") {
    return ReplyError(*call.ex, 409,
                      "You cannot attach to a stopped container, start it "
                      "first");
  }
  json config = ContainerConfig(c->record());
  AttachOpOptions o;
  o.format.tty = IsTty(*c);
  o.format.stdout = call.QueryBool("stdout");
  o.format.stderr = call.QueryBool("stderr");
  o.attach.stdin = call.QueryBool("stdin") && c->record().open_stdin;
  if (o.format.tty) {
    base::Result<std::string> keys = ParseDetachKeys(call.Query("detachKeys"));
    if (!keys.ok()) return ReplyStatus(*call.ex, keys.status());
    o.attach.detach_keys = *keys;
  }
  o.close_stdin_on_eof = config.value("StdinOnce", false) && !o.format.tty;
  base::Result<Session*> s = c->GetSession(kPrimarySession);
  if (!s.ok()) return ReplyStatus(*call.ex, s.status());
  http::ResponseHead head =
      DockerHead(101, "application/vnd.docker.raw-stream");
  head.reason = "UPGRADED";
  head.headers.push_back({"Connection", "Upgrade"});
  head.headers.push_back({"Upgrade", "tcp"});
  auto stream = call.ex->Hijack(std::move(head));
  AttachOp* op = call.ctx->opset->Add(
      std::make_unique<AttachOp>(call.ctx->loop, stream, std::move(o)));
  op->Start(c, *s);
  op->attachment()->Announce(0, 0);
}

void ContainerLogs(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  StreamFormat format;
  format.tty = IsTty(*c);
  format.stdout = call.QueryBool("stdout");
  format.stderr = call.QueryBool("stderr");
  format.timestamps = call.QueryBool("timestamps");
  if (!format.stdout && !format.stderr) {
    return ReplyError(*call.ex, 400,
                      "Bad parameters: you must choose at least one stream");
  }
  LogsOptions options;
  options.follow = call.QueryBool("follow");
  options.by_line = format.timestamps;
  std::string tail = call.Query("tail");
  if (!tail.empty() && tail != "all") {
    base::Result<int64_t> n = call.QueryInt("tail", -1);
    if (!n.ok()) return ReplyStatus(*call.ex, n.status());
    options.tail = *n;
  }
  base::Result<int64_t> since = UnixNanos(call, "since");
  base::Result<int64_t> until = UnixNanos(call, "until");
  if (!since.ok()) return ReplyStatus(*call.ex, since.status());
  if (!until.ok()) return ReplyStatus(*call.ex, until.status());
  options.since_ns = *since;
  options.until_ns = *until;
  auto owned = std::make_unique<LogsOp>(call.ctx->loop, format);
  base::Result<std::unique_ptr<LogsFeed>> feed =
      LogsFeed::Open(owned.get(), c, options);
  if (!feed.ok()) return ReplyStatus(*call.ex, feed.status());
  // API 1.41 calls both framings a raw stream; the client knows which from
  // the container's Tty.
  auto out = call.ex->StartStream(
      DockerHead(200, "application/vnd.docker.raw-stream"));
  LogsOp* op = call.ctx->opset->Add(std::move(owned));
  op->Start(std::move(out), std::move(*feed));
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
