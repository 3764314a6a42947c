// Exec: create an instance, start it (hijacked, or detached), resize its
// terminal, inspect it.
#include "attach/detach_keys.h"
#include "attach/endpoint/api/attach_op.h"
#include "attach/endpoint/api/exec_store.h"
#include "attach/endpoint/api/json_read.h"
#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/routes.h"
#include "attach/endpoint/api/views.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

constexpr size_t kMaxExecBody = 1 << 20;

struct ExecTarget {
  ExecEntry* entry = nullptr;
  Container* container = nullptr;
};

// The instance and its container, or a 404 already sent.
bool FindExec(const Call& call, ExecTarget* out) {
  base::Result<ExecEntry*> e = call.ctx->execs->Find(call.param(0));
  if (!e.ok()) {
    ReplyStatus(*call.ex, e.status());
    return false;
  }
  out->entry = *e;
  out->container = call.ctx->ops->registry().FindById((*e)->container_id);
  if (out->container == nullptr) {
    ReplyError(*call.ex, 404, "No such container: " + (*e)->container_id);
    return false;
  }
  return true;
}

base::Status ReadExecConfig(const std::string& text, ExecEntry* e) {
  TETHER_ASSIGN_OR_RETURN(json doc, ParseBody(text));
  Fields f(doc, "ExecConfig");
  ExecSpec& s = e->spec;
  bool attach_stdin = false;
  std::string keys;
  TETHER_RETURN_IF_ERROR(f.String("User", &s.user));
  TETHER_RETURN_IF_ERROR(f.Bool("Tty", &s.tty));
  TETHER_RETURN_IF_ERROR(f.Bool("AttachStdin", &attach_stdin));
  TETHER_RETURN_IF_ERROR(f.Bool("AttachStdout", &e->attach_stdout));
  TETHER_RETURN_IF_ERROR(f.Bool("AttachStderr", &e->attach_stderr));
  TETHER_RETURN_IF_ERROR(f.String("DetachKeys", &keys));
  TETHER_RETURN_IF_ERROR(f.StringList("Env", &s.env));
  TETHER_RETURN_IF_ERROR(f.String("WorkingDir", &s.workdir));
  TETHER_RETURN_IF_ERROR(f.StrSlice("Cmd", &s.args));
  s.stdin = attach_stdin;
  if (!s.workdir.empty() && s.workdir[0] != '/') {
    return base::Status::InvalidArgument(
        "the working directory '" + s.workdir +
        "' is invalid, it needs to be an absolute path");
  }
  TETHER_ASSIGN_OR_RETURN(e->detach_keys, ParseDetachKeys(keys));
  return base::Status::Ok();
}

}  // namespace

void ExecCreate(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  auto ex = call.ex;
  ApiContext* ctx = call.ctx;
  std::string id = c->id();
  ex->ReadBody(kMaxExecBody, [ex, ctx, id](const base::Status& read) {
    if (!read.ok()) return;
    Container* c = ctx->ops->registry().FindById(id);
    if (c == nullptr) return ReplyError(*ex, 404, "No such container: " + id);
    ExecEntry draft;
    base::Status s = ReadExecConfig(ex->request().body, &draft);
    if (s.ok()) s = ctx->ops->CheckExec(*c, draft.spec);
    if (!s.ok()) return ReplyStatus(*ex, s);
    base::Result<ExecEntry*> e = ctx->execs->Add(id, draft.spec);
    if (!e.ok()) return ReplyStatus(*ex, e.status());
    (*e)->detach_keys = draft.detach_keys;
    (*e)->attach_stdout = draft.attach_stdout;
    (*e)->attach_stderr = draft.attach_stderr;
    ReplyJson(*ex, 201, json{{"Id", (*e)->id}});
  });
}

void ExecStart(Call& call) {
  ExecTarget t;
  if (!FindExec(call, &t)) return;
  auto ex = call.ex;
  ApiContext* ctx = call.ctx;
  std::string exec_id = t.entry->id;
  ex->ReadBody(kMaxExecBody, [ex, ctx, exec_id](const base::Status& read) {
    if (!read.ok()) return;
    base::Result<ExecEntry*> e = ctx->execs->Find(exec_id);
    if (!e.ok()) return ReplyStatus(*ex, e.status());
    ExecEntry* entry = *e;
    Container* c = ctx->ops->registry().FindById(entry->container_id);
    if (c == nullptr) {
      return ReplyError(*ex, 404, "No such container: " + entry->container_id);
    }
    base::Result<json> body = ParseBody(ex->request().body);
    bool detach = false;
    base::Status s =
        body.ok() ? Fields(*body, "ExecStartCheck").Bool("Detach", &detach)
                  : body.status();
    if (!s.ok()) return ReplyStatus(*ex, s);
    if (entry->started) {
      return ReplyError(*ex, 409,
                        "Exec command " + exec_id + " is already running");
    }
    s = ctx->ops->CheckExec(*c, entry->spec);
    if (!s.ok()) return ReplyStatus(*ex, s);
    base::Result<Session*> session = c->GetSession(exec_id);
    if (!session.ok()) return ReplyStatus(*ex, session.status());
    entry->started = true;
    if (detach) {
      ctx->ops->LaunchExec(c, exec_id, entry->spec);
      return ReplyEmpty(*ex, 200);
    }
    AttachOpOptions o;
    o.format.tty = entry->spec.tty;
    o.format.stdout = entry->attach_stdout;
    o.format.stderr = entry->attach_stderr;
    o.attach.stdin = entry->spec.stdin;
    if (entry->spec.tty) o.attach.detach_keys = entry->detach_keys;
    o.close_stdin_on_eof = !entry->spec.tty;
    http::ResponseHead head =
        DockerHead(101, "application/vnd.docker.raw-stream");
    head.reason = "UPGRADED";
    head.headers.push_back({"Connection", "Upgrade"});
    head.headers.push_back({"Upgrade", "tcp"});
    AttachOp* op = ctx->opset->Add(std::make_unique<AttachOp>(
        ctx->loop, ex->Hijack(std::move(head)), std::move(o)));
    // Watching before the tether is asked: not a byte is missed.
    op->Start(c, *session);
    ctx->ops->LaunchExec(c, exec_id, entry->spec);
  });
}

void ExecResize(Call& call) {
  ExecTarget t;
  if (!FindExec(call, &t)) return;
  base::Result<TerminalSize> size = QuerySize(call);
  if (!size.ok()) return ReplyStatus(*call.ex, size.status());
  uint32_t rows = size->rows, cols = size->cols;
  if (!t.entry->started) {
    // The CLI may resize before the exec runs: the size goes with Exec.
    t.entry->spec.rows = rows;
    t.entry->spec.cols = cols;
    return ReplyEmpty(*call.ex, 200);
  }
  base::Status s = call.ctx->ops->Resize(t.container, t.entry->id, rows, cols);
  if (!s.ok()) return ReplyStatus(*call.ex, s);
  ReplyEmpty(*call.ex, 200);
}

void ExecInspect(Call& call) {
  ExecTarget t;
  if (!FindExec(call, &t)) return;
  const ExecSpec& s = t.entry->spec;
  ReplyJson(*call.ex, 200,
            api::ExecInspect(*t.container, t.entry->id, t.entry->started, s.tty,
                             s.stdin, s.args, s.user));
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
