#include "attach/endpoint/commands/commands.h"

#include <csignal>

#include "attach/endpoint/clients/pprof_command.h"
#include "attach/endpoint/commands/logs_command.h"
#include "attach/endpoint/commands/start_command.h"
#include "attach/endpoint/commands/stream_command.h"
#include "attach/endpoint/containers/tether_config.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// wait: the exit code of the primary session, whenever it comes.
class WaitHandler : public ClientConn::Handler, public SessionObserver {
 public:
  WaitHandler(ClientConn* conn, Session* session)
      : conn_(conn), session_(session) {
    session_->AddObserver(this);
  }
  ~WaitHandler() override {
    if (session_ != nullptr) session_->RemoveObserver(this);
  }
  void OnRequest(const pb::Request&) override {}
  void OnOutput(const OutputEvent&) override {}
  void OnSessionEnd(int exit_code, const std::string&) override {
    Stop();
    SendExitCode(conn_, exit_code);
  }
  void OnContainerGone(const std::string& why) override {
    Stop();
    conn_->FailWith(why);
  }

 private:
  void Stop() {
    if (session_ != nullptr) session_->RemoveObserver(this);
    session_ = nullptr;
  }
  ClientConn* conn_;
  Session* session_;
};

}  // namespace

void SendDone(ClientConn* conn) {
  pb::Response resp;
  resp.set_done(true);
  conn->Send(resp);
  conn->Finish();
}

void SendExitCode(ClientConn* conn, int code) {
  pb::Response resp;
  resp.set_exit_code(code);
  conn->Send(resp);
  conn->Finish();
}

void Commands::Dispatch(ClientConn* conn, const pb::Request& req) {
  switch (req.req_case()) {
    case pb::Request::kCreate:
      return Create(conn, req.create());
    case pb::Request::kConfig:
      return Config(conn, req.config());
    case pb::Request::kList:
      return List(conn, req.list());
    case pb::Request::kInspect:
      return Inspect(conn, req.inspect());
    case pb::Request::kLogs:
      if (Container* c = Find(conn, req.logs().container().ref())) {
        StartLogs(conn, c, req.logs());
      }
      return;
    case pb::Request::kAttach:
      if (Container* c = Find(conn, req.attach().container().ref())) {
        StartAttach(conn, c, req.attach());
      }
      return;
    case pb::Request::kExec:
      if (Container* c = Find(conn, req.exec().container().ref())) {
        StartExec(conn, c, req.exec());
      }
      return;
    case pb::Request::kPprof:
      if (Container* c = Find(conn, req.pprof().container().ref())) {
        StartPprof(ctx_.loop, conn, c, req.pprof());
      }
      return;
    case pb::Request::kKill:
      return Kill(conn, req.kill());
    case pb::Request::kWait:
      return Wait(conn, req.wait());
    case pb::Request::kRemove:
      return Remove(conn, req.remove());
    case pb::Request::kStart:
      if (Container* c = Find(conn, req.start().container().ref())) {
        StartContainer(ctx_.loop, conn, c, ctx_.vms, req.start());
      }
      return;
    default:
      conn->FailWith("unknown or misplaced request");
  }
}

Container* Commands::Find(ClientConn* conn, const std::string& ref) {
  base::Result<Container*> c = ctx_.registry->Find(ref);
  if (c.ok()) return *c;
  conn->FailWith(c.status().message());
  return nullptr;
}

void Commands::Create(ClientConn* conn, const pb::CreateRequest& req) {
  ContainerRecord r;
  r.name = req.name();
  r.tty = req.tty();
  r.open_stdin = req.open_stdin();
  r.attach_before_start = req.attach_before_start();
  r.env.assign(req.env().begin(), req.env().end());
  r.user = req.user();
  r.workdir = req.workdir();
  r.args.assign(req.args().begin(), req.args().end());
  r.endpoint = req.endpoint().empty() ? ctx_.default_endpoint : req.endpoint();
  r.memory_mb = req.memory_mb();
  r.auto_remove = req.auto_remove();
  base::Result<Container*> c = ctx_.registry->Create(std::move(r));
  if (!c.ok()) {
    conn->FailWith(c.status().message());
    return;
  }
  // The config it will hand out must decode in the tether: prove it now,
  // while the user is there to see why not.
  base::Result<std::string> key = ctx_.registry->IdentityKey(**c);
  base::Result<std::string> config =
      key.ok() ? TetherConfigJson((*c)->record(), ctx_.host_key_sha256, *key)
               : base::Result<std::string>(key.status());
  if (!config.ok()) {
    (void)ctx_.registry->Remove(*c);
    conn->FailWith(config.status().message());
    return;
  }
  LOG_INFO("container %s created (%s)", (*c)->id().substr(0, 12).c_str(),
           (*c)->record().name.c_str());
  pb::Response resp;
  resp.set_created_id((*c)->id());
  conn->Send(resp);
  conn->Finish();
}

void Commands::Config(ClientConn* conn, const pb::ContainerRef& ref) {
  Container* c = Find(conn, ref.ref());
  if (c == nullptr) return;
  base::Result<std::string> key = ctx_.registry->IdentityKey(*c);
  if (!key.ok()) {
    conn->FailWith(key.status().message());
    return;
  }
  base::Result<std::string> config =
      TetherConfigJson(c->record(), ctx_.host_key_sha256, *key);
  if (!config.ok()) {
    conn->FailWith(config.status().message());
    return;
  }
  pb::Response resp;
  resp.set_config_json(*config);
  conn->Send(resp);
  conn->Finish();
}

void Commands::List(ClientConn* conn, const pb::ListRequest& req) {
  for (Container* c : ctx_.registry->All()) {
    if (!req.all() && c->state() != "running") continue;
    pb::Response resp;
    *resp.mutable_status() = c->Describe();
    if (!conn->Send(resp)) return;
  }
  SendDone(conn);
}

void Commands::Inspect(ClientConn* conn, const pb::ContainerRef& ref) {
  Container* c = Find(conn, ref.ref());
  if (c == nullptr) return;
  pb::Response resp;
  *resp.mutable_status() = c->Describe();
  conn->Send(resp);
  conn->Finish();
}

void Commands::Kill(ClientConn* conn, const pb::KillRequest& req) {
  Container* c = Find(conn, req.container().ref());
  if (c == nullptr) return;
  if (!c->running()) {
    conn->FailWith("Cannot kill container: " + req.container().ref() +
                   ": Container " + c->id() + " is not running");
    return;
  }
  int signo = req.signo() != 0 ? req.signo() : SIGKILL;
  if (signo < 1 || signo > 64) {
    conn->FailWith("Invalid signal: " + std::to_string(signo));
    return;
  }
  if (c->link() == nullptr && c->vm() != nullptr) {
    // No tether to deliver it (booting, or gone quiet): only KILL has a
    // meaning for the VM as a whole.
    base::Status s =
        signo == SIGKILL
            ? c->vm()->Kill()
            : base::Status::Unavailable(
                  "its tether is not connected (only KILL stops the VM "
                  "without it)");
    if (!s.ok()) {
      conn->FailWith("Cannot kill container: " + req.container().ref() +
                     ": " + s.message());
      return;
    }
    SendDone(conn);
    return;
  }
  pb::Envelope env;
  env.mutable_signal()->set_session_id(kPrimarySession);
  env.mutable_signal()->set_signo(signo);
  base::Status s = c->SendControl(env);
  if (!s.ok()) {
    conn->FailWith("Cannot kill container: " + req.container().ref() + ": " +
                   s.message());
    return;
  }
  SendDone(conn);
}

void Commands::Wait(ClientConn* conn, const pb::WaitRequest& req) {
  Container* c = Find(conn, req.container().ref());
  if (c == nullptr) return;
  const SessionRecord* primary = c->status().Find(kPrimarySession);
  if (primary != nullptr && primary->exited) {
    SendExitCode(conn, primary->exit_code);
    return;
  }
  base::Result<Session*> s = c->GetSession(kPrimarySession);
  if (!s.ok()) {
    conn->FailWith(s.status().message());
    return;
  }
  conn->SetHandler(std::make_unique<WaitHandler>(conn, *s));
}

void Commands::Remove(ClientConn* conn, const pb::RemoveRequest& req) {
  Container* c = Find(conn, req.container().ref());
  if (c == nullptr) return;
  base::Status s = RemoveContainer(c, req.force());
  if (!s.ok()) {
    conn->FailWith(s.message());
    return;
  }
  SendDone(conn);
}

base::Status Commands::RemoveContainer(Container* c, bool force) {
  if (c->running() && !force) {
    return base::Status::InvalidArgument(
        "You cannot remove a running container " + c->id() +
        ". Stop the container before attempting removal or force remove");
  }
  std::string id = c->id();
  if (ControlLink* link = c->link()) {
    if (c->primary_running()) {
      pb::Envelope kill;
      kill.mutable_signal()->set_session_id(kPrimarySession);
      kill.mutable_signal()->set_signo(SIGKILL);
      (void)link->SendControl(kill);
    }
    link->Disconnect("container removed");
  }
  if (ctx_.vms != nullptr) ctx_.vms->Discard(c);
  c->NotifyGone("container " + id.substr(0, 12) + " was removed");
  base::Status s = ctx_.registry->Remove(c);
  LOG_INFO("container %s removed", id.substr(0, 12).c_str());
  return s;
}

}  // namespace endpoint
}  // namespace attach
