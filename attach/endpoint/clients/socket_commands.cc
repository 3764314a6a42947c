#include "attach/endpoint/clients/socket_commands.h"

#include <memory>
#include <utility>

#include "attach/endpoint/clients/conn_sink.h"
#include "attach/endpoint/clients/image_commands.h"
#include "attach/endpoint/clients/pprof_command.h"
#include "attach/endpoint/clients/socket_streams.h"
#include "attach/endpoint/commands/watches.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// wait and start: a watch kept on the connection until it fires.
template <typename Watch>
class WatchHandler : public ClientConn::Handler {
 public:
  void set_watch(std::unique_ptr<Watch> watch) { watch_ = std::move(watch); }
  void OnRequest(const pb::Request&) override {}

 private:
  std::unique_ptr<Watch> watch_;
};

// What `start` without attach answers once the watch fires.
void AnswerStart(ClientConn* conn, const StartOutcome& outcome) {
  if (!outcome.status.ok()) return conn->FailWith(outcome.status.message());
  if (!outcome.ended) return SendDone(conn);
  conn->FailWith("the container exited with code " +
                 std::to_string(outcome.exit_code) +
                 " before its tether connected");
}

}  // namespace

void SocketCommands::Dispatch(ClientConn* conn, const pb::Request& req) {
  if (DispatchImageCommand(conn, ops_, req)) return;
  Container* c = nullptr;
  switch (req.req_case()) {
    case pb::Request::kCreate:
      return Create(conn, req.create());
    case pb::Request::kList:
      return List(conn, req.list());
    case pb::Request::kConfig:
      if ((c = Find(conn, req.config().ref()))) Config(conn, c);
      return;
    case pb::Request::kInspect:
      if ((c = Find(conn, req.inspect().ref()))) {
        pb::Response resp;
        *resp.mutable_status() = c->Describe();
        conn->Send(resp);
        conn->Finish();
      }
      return;
    case pb::Request::kLogs:
      if ((c = Find(conn, req.logs().container().ref()))) {
        StartLogs(conn, c, req.logs());
      }
      return;
    case pb::Request::kAttach:
      if ((c = Find(conn, req.attach().container().ref()))) {
        StartAttach(conn, c, req.attach());
      }
      return;
    case pb::Request::kExec:
      if ((c = Find(conn, req.exec().container().ref()))) {
        StartExec(conn, ops_, c, req.exec());
      }
      return;
    case pb::Request::kPprof:
      if ((c = Find(conn, req.pprof().container().ref()))) {
        StartPprof(ops_->context().loop, conn, c, req.pprof());
      }
      return;
    case pb::Request::kKill:
      if ((c = Find(conn, req.kill().container().ref()))) {
        Kill(conn, c, req.kill());
      }
      return;
    case pb::Request::kWait:
      if ((c = Find(conn, req.wait().container().ref()))) Wait(conn, c);
      return;
    case pb::Request::kRemove:
      if ((c = Find(conn, req.remove().container().ref()))) {
        Remove(conn, c, req.remove().force());
      }
      return;
    case pb::Request::kStart:
      if ((c = Find(conn, req.start().container().ref()))) {
        Start(conn, c, req.start());
      }
      return;
    default:
      conn->FailWith("unknown or misplaced request");
  }
}

Container* SocketCommands::Find(ClientConn* conn, const std::string& ref) {
  base::Result<Container*> c = ops_->Find(ref);
  if (c.ok()) return *c;
  conn->FailWith(c.status().message());
  return nullptr;
}

void SocketCommands::Create(ClientConn* conn, const pb::CreateRequest& req) {
  base::Result<ContainerRecord> r = RecordForCreate(*ops_, req);
  if (!r.ok()) return conn->FailWith(r.status().message());
  base::Result<Container*> c = ops_->Create(std::move(*r));
  if (!c.ok()) return conn->FailWith(c.status().message());
  pb::Response resp;
  resp.set_created_id((*c)->id());
  conn->Send(resp);
  conn->Finish();
}

void SocketCommands::Config(ClientConn* conn, Container* c) {
  base::Result<std::string> config = ops_->TetherConfig(*c);
  if (!config.ok()) return conn->FailWith(config.status().message());
  pb::Response resp;
  resp.set_config_json(*config);
  conn->Send(resp);
  conn->Finish();
}

void SocketCommands::List(ClientConn* conn, const pb::ListRequest& req) {
  for (Container* c : ops_->registry().All()) {
    if (!req.all() && c->state() != "running") continue;
    pb::Response resp;
    *resp.mutable_status() = c->Describe();
    if (!conn->Send(resp)) return;
  }
  SendDone(conn);
}

void SocketCommands::Kill(ClientConn* conn, Container* c,
                          const pb::KillRequest& req) {
  int signo = req.signo() != 0 ? req.signo() : SIGKILL;
  base::Status s = ops_->Kill(c, req.container().ref(), signo);
  if (!s.ok()) return conn->FailWith(s.message());
  SendDone(conn);
}

void SocketCommands::Wait(ClientConn* conn, Container* c) {
  const SessionRecord* primary = c->status().Find(kPrimarySession);
  if (primary != nullptr && primary->exited) {
    return SendExitCode(conn, primary->exit_code);
  }
  base::Result<Session*> s = c->GetSession(kPrimarySession);
  if (!s.ok()) return conn->FailWith(s.status().message());
  auto h = std::make_unique<WatchHandler<ExitWatch>>();
  h->set_watch(std::make_unique<ExitWatch>(
      c, *s, WaitCondition::kNextExit,
      [conn](int exit_code, const std::string& error) {
        if (!error.empty()) return conn->FailWith(error);
        SendExitCode(conn, exit_code);
      }));
  conn->SetHandler(std::move(h));
}

void SocketCommands::Remove(ClientConn* conn, Container* c, bool force) {
  base::Status s = ops_->Remove(c, force);
  if (!s.ok()) return conn->FailWith(s.message());
  SendDone(conn);
}

void SocketCommands::Start(ClientConn* conn, Container* c,
                           const pb::StartRequest& req) {
  base::Result<Session*> primary = c->GetSession(kPrimarySession);
  if (!primary.ok()) return conn->FailWith(primary.status().message());
  // QEMU starts here, but nothing it says can be read before this
  // function returns to the loop: an attach set up below misses nothing.
  base::Result<bool> booted = ops_->Boot(c);
  if (!booted.ok()) return conn->FailWith(booted.status().message());
  if (req.has_attach()) {
    pb::AttachRequest attach = req.attach();
    attach.mutable_container()->set_ref(c->id());
    return StartAttach(conn, c, attach);
  }
  if (!*booted && c->link() != nullptr) return SendDone(conn);
  auto h = std::make_unique<WatchHandler<StartWatch>>();
  h->set_watch(std::make_unique<StartWatch>(
      ops_->context().loop, c, *primary, kStartTimeoutMs,
      [conn](const StartOutcome& outcome) { AnswerStart(conn, outcome); }));
  conn->SetHandler(std::move(h));
}

}  // namespace endpoint
}  // namespace attach
