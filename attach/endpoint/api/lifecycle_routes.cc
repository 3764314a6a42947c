// Containers: start, stop, restart and wait, each an Op that answers once
// the container has come up, ended or been removed.
#include <uv.h>

#include "attach/endpoint/api/json_read.h"
#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/routes.h"
#include "attach/endpoint/api/views.h"
#include "attach/endpoint/commands/watches.h"
#include "base/uv_handle.h"
#include "guestinfo/signal_names.h"
#include "http/response_stream.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

// docker stop's default grace period.
constexpr int64_t kDefaultStopSeconds = 10;
// After the grace period the tether kills the container; if it has not
// said so this much later, the VM is killed from outside.
constexpr uint64_t kStopBackstopMs = 10000;

// Boots the container and answers once its tether is up (or it ended).
class StartOp : public Op {
 public:
  StartOp(ApiContext* ctx, std::shared_ptr<http::Exchange> ex,
          std::function<void(const base::Status&)> done)
      : ctx_(ctx), ex_(std::move(ex)), done_(std::move(done)) {}

  void Start(Container* c) {
    base::Result<Session*> primary = c->GetSession(kPrimarySession);
    if (!primary.ok()) return Finish(primary.status());
    base::Result<bool> booted = ctx_->ops->Boot(c);
    if (!booted.ok()) return Finish(booted.status());
    if (!*booted && c->link() != nullptr) return Finish({});
    watch_ = std::make_unique<StartWatch>(
        ctx_->loop, c, *primary, kStartTimeoutMs,
        // A container that ran and ended before its tether could say so
        // was started all the same.
        [this](const StartOutcome& o) { Finish(o.status); });
  }
  void Cancel() override {
    Finish(base::Status::Unavailable("attachd is stopping"));
  }

 private:
  void Finish(const base::Status& s) {
    if (finished_) return;
    finished_ = true;
    watch_.reset();
    done_(s);
    Done();
  }

  ApiContext* ctx_;
  std::shared_ptr<http::Exchange> ex_;
  std::function<void(const base::Status&)> done_;
  std::unique_ptr<StartWatch> watch_;
  bool finished_ = false;
};

// Stops a running container and answers once it has ended.
class StopOp : public Op {
 public:
  StopOp(ApiContext* ctx, std::function<void(const base::Status&)> done)
      : ctx_(ctx), done_(std::move(done)) {}

  void Start(Container* c, int signo, int64_t seconds) {
    base::Result<Session*> primary = c->GetSession(kPrimarySession);
    if (!primary.ok()) return Finish(primary.status());
    watch_ = std::make_unique<ExitWatch>(
        c, *primary, WaitCondition::kNextExit,
        [this](int, const std::string& error) {
          Finish(error.empty() ? base::Status::Ok()
                               : base::Status::Unavailable(error));
        });
    base::Status s = ctx_->ops->Stop(c, signo, static_cast<int>(seconds));
    if (!s.ok()) return Finish(s);
    container_id_ = c->id();
    uv_timer_init(ctx_->loop, backstop_.get());
    backstop_.MarkInitialized();
    backstop_->data = this;
    uv_timer_start(backstop_.get(), &StopOp::OnBackstop,
                   static_cast<uint64_t>(seconds) * 1000 + kStopBackstopMs, 0);
  }
  void Cancel() override {
    Finish(base::Status::Unavailable("attachd is stopping"));
  }

 private:
  static void OnBackstop(uv_timer_t* t) noexcept {
    auto* self = static_cast<StopOp*>(t->data);
    Container* c = self->ctx_->ops->registry().FindById(self->container_id_);
    if (c != nullptr && c->vm() != nullptr) (void)c->vm()->Kill();
  }
  void Finish(const base::Status& s) {
    if (finished_) return;
    finished_ = true;
    watch_.reset();
    backstop_.Close();
    done_(s);
    Done();
  }

  ApiContext* ctx_;
  std::function<void(const base::Status&)> done_;
  std::unique_ptr<ExitWatch> watch_;
  std::string container_id_;
  base::UvHandle<uv_timer_t> backstop_;
  bool finished_ = false;
};

// POST /containers/X/wait: 200 and the headers at once (the CLI starts the
// container only once it has them), the body when the condition holds.
class WaitOp : public Op {
 public:
  explicit WaitOp(std::shared_ptr<http::ResponseStream> out)
      : out_(std::move(out)) {}

  void Start(Container* c, Session* primary, WaitCondition condition) {
    watch_ = std::make_unique<ExitWatch>(
        c, primary, condition,
        [this](int code, const std::string& error) { Answer(code, error); });
    std::weak_ptr<int> alive = alive_;
    // A client that leaves (docker run -d does) ends the wait.
    out_->OnClose([this, alive](const base::Status&) {
      if (!alive.expired()) Finish();
    });
  }
  void Answer(int code, const std::string& error) {
    json body{
        {"StatusCode", code},
        {"Error", error.empty() ? json(nullptr) : json{{"Message", error}}}};
    out_->Write(DumpJson(body) + "\n");
    out_->End();
    Finish();
  }
  void Cancel() override { Answer(0, "attachd is stopping"); }

 private:
  void Finish() {
    watch_.reset();
    Done();
  }

  std::shared_ptr<http::ResponseStream> out_;
  std::unique_ptr<ExitWatch> watch_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// The grace period of a stop: ?t=, else the container's StopTimeout.
base::Result<int64_t> StopSeconds(const Call& call, const Container& c) {
  json config = ContainerConfig(c.record());
  int64_t fallback = config.value("StopTimeout", kDefaultStopSeconds);
  return call.QueryInt("t", fallback);
}

// The container's StopSignal (0: the tether's default, SIGTERM).
int StopSignal(const Container& c) {
  std::string name = ContainerConfig(c.record()).value("StopSignal", "");
  base::Result<int> signo = guestinfo::ParseSignal(name);
  return !name.empty() && signo.ok() ? *signo : 0;
}

void Answer204(const std::shared_ptr<http::Exchange>& ex,
               const base::Status& s) {
  if (s.ok()) return ReplyEmpty(*ex);
  ReplyStatus(*ex, s);
}

}  // namespace

void ContainerStart(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  if (c->running()) return ReplyEmpty(*call.ex, 304);
  auto ex = call.ex;
  StartOp* op = call.ctx->opset->Add(std::make_unique<StartOp>(
      call.ctx, ex, [ex](const base::Status& s) { Answer204(ex, s); }));
  op->Start(c);
}

void ContainerStop(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  if (!c->running()) return ReplyEmpty(*call.ex, 304);
  base::Result<int64_t> t = StopSeconds(call, *c);
  if (!t.ok()) return ReplyStatus(*call.ex, t.status());
  auto ex = call.ex;
  StopOp* op = call.ctx->opset->Add(std::make_unique<StopOp>(
      call.ctx, [ex](const base::Status& s) { Answer204(ex, s); }));
  op->Start(c, StopSignal(*c), *t < 0 ? 0 : *t);
}

void ContainerRestart(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  base::Result<int64_t> t = StopSeconds(call, *c);
  if (!t.ok()) return ReplyStatus(*call.ex, t.status());
  auto ex = call.ex;
  ApiContext* ctx = call.ctx;
  std::string id = c->id();
  auto start = [ex, ctx, id](const base::Status& stopped) {
    if (!stopped.ok()) return ReplyStatus(*ex, stopped);
    Container* again = ctx->ops->registry().FindById(id);
    if (again == nullptr)
      return ReplyError(*ex, 404, "No such container: " + id);
    StartOp* op = ctx->opset->Add(std::make_unique<StartOp>(
        ctx, ex, [ex](const base::Status& s) { Answer204(ex, s); }));
    op->Start(again);
  };
  if (!c->running()) return start({});
  StopOp* op = call.ctx->opset->Add(std::make_unique<StopOp>(call.ctx, start));
  op->Start(c, StopSignal(*c), *t < 0 ? 0 : *t);
}

void ContainerWait(Call& call) {
  Container* c = FindContainer(call, call.param(0));
  if (c == nullptr) return;
  base::Result<WaitCondition> condition =
      ParseWaitCondition(call.Query("condition"));
  if (!condition.ok()) return ReplyStatus(*call.ex, condition.status());
  base::Result<Session*> primary = c->GetSession(kPrimarySession);
  if (!primary.ok()) return ReplyStatus(*call.ex, primary.status());
  auto out = call.ex->StartStream(DockerHead(200, "application/json"));
  WaitOp* op = call.ctx->opset->Add(std::make_unique<WaitOp>(out));
  if (ExitWatch::Immediate(*c, *condition)) {
    return op->Answer(ExitWatch::LastExitCode(*c), "");
  }
  op->Start(c, *primary, *condition);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
