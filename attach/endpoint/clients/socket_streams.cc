#include "attach/endpoint/clients/socket_streams.h"

#include <memory>
#include <string>

#include "attach/endpoint/clients/conn_sink.h"
#include "attach/endpoint/commands/attachment.h"
#include "attach/endpoint/commands/logs_feed.h"
#include "attach/endpoint/containers/registry.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// One client attached to one session.
class StreamHandler : public ClientConn::Handler,
                      public ConnSink<AttachClient> {
 public:
  StreamHandler(ClientConn* conn, Container* c, Session* session,
                AttachOptions options)
      : ConnSink<AttachClient>(conn) {
    attachment_ =
        std::make_unique<Attachment>(this, c, session, std::move(options));
  }

  Attachment& attachment() { return *attachment_; }

  void OnRequest(const pb::Request& req) override {
    switch (req.req_case()) {
      case pb::Request::kStdin:
        return attachment_->Input(req.stdin().data());
      case pb::Request::kStdinClose:
        return attachment_->CloseInput();
      case pb::Request::kResize:
        return attachment_->Resize(req.resize().rows(), req.resize().cols());
      default:
        conn_->FailWith("unexpected request during attach");
    }
  }
  void OnDrained() override { attachment_->Pump(); }

  void PauseInput() override { conn_->PauseReading(); }
  void ResumeInput() override { conn_->ResumeReading(); }
  void OnEnded(int exit_code, const std::string& error) override {
    if (!error.empty()) {
      pb::Response resp;
      resp.set_error(error);
      conn_->Send(resp);
    }
    SendExitCode(conn_, exit_code);
  }
  void OnDetached() override {
    pb::Response resp;
    resp.set_detached(true);
    conn_->Send(resp);
    conn_->Finish();
  }
  void OnGone(const std::string& why) override { conn_->FailWith(why); }

 private:
  std::unique_ptr<Attachment> attachment_;
};

class LogsHandler : public ClientConn::Handler, public ConnSink<LogsClient> {
 public:
  explicit LogsHandler(ClientConn* conn) : ConnSink<LogsClient>(conn) {}
  void set_feed(std::unique_ptr<LogsFeed> feed) { feed_ = std::move(feed); }

  void OnRequest(const pb::Request&) override {}
  void OnDrained() override { feed_->Pump(); }
  void OnLogsEnd() override { SendDone(conn_); }
  void OnGone(const std::string& why) override { conn_->FailWith(why); }

 private:
  std::unique_ptr<LogsFeed> feed_;
};

// Takes the client's terminal when it handed one over; false once the
// client has been told why not.
bool TakeTerminal(ClientConn* conn, const pb::TerminalHandoff& handoff) {
  if (!handoff.terminal()) return true;
  base::Status s = conn->AdoptTerminal();
  if (s.ok()) return true;
  conn->FailWith(s.message());
  return false;
}

// The options of an attach or exec. The client matches the detach keys
// itself when it relays its terminal; attachd does on a handed-over one.
AttachOptions OptionsFor(ClientConn* conn, bool stdin,
                         const pb::TerminalHandoff& handoff) {
  AttachOptions options;
  options.stdin = stdin;
  if (conn->has_terminal()) options.detach_keys = handoff.detach_keys();
  return options;
}

}  // namespace

void StartAttach(ClientConn* conn, Container* c, const pb::AttachRequest& req) {
  if (c->state() == "exited") {
    conn->FailWith("You cannot attach to a stopped container, start it first");
    return;
  }
  base::Result<Session*> s = c->GetSession(kPrimarySession);
  if (!s.ok()) {
    conn->FailWith(s.status().message());
    return;
  }
  if (!TakeTerminal(conn, req.handoff())) return;
  auto h = std::make_unique<StreamHandler>(
      conn, c, *s, OptionsFor(conn, req.stdin(), req.handoff()));
  StreamHandler* raw = h.get();
  conn->SetHandler(std::move(h));
  raw->attachment().Announce(req.rows(), req.cols());
}

void StartExec(ClientConn* conn, ContainerOps* ops, Container* c,
               const pb::ExecRequest& req) {
  ExecSpec spec;
  spec.args.assign(req.args().begin(), req.args().end());
  spec.env.assign(req.env().begin(), req.env().end());
  spec.user = req.user();
  spec.workdir = req.workdir();
  spec.tty = req.tty();
  spec.stdin = req.stdin();
  spec.rows = req.rows();
  spec.cols = req.cols();
  base::Status ok = ops->CheckExec(*c, spec);
  if (!ok.ok()) {
    conn->FailWith(ok.message());
    return;
  }
  base::Result<std::string> id = RandomHex(32);
  base::Result<Session*> s =
      id.ok() ? c->GetSession(*id) : base::Result<Session*>(id.status());
  if (!s.ok()) {
    conn->FailWith(s.status().message());
    return;
  }
  if (!TakeTerminal(conn, req.handoff())) return;
  // Watch before asking, so not a byte of its output is missed.
  conn->SetHandler(std::make_unique<StreamHandler>(
      conn, c, *s, OptionsFor(conn, req.stdin(), req.handoff())));
  pb::Response resp;
  resp.set_exec_id(*id);
  conn->Send(resp);
  ops->LaunchExec(c, *id, spec);
}

void StartLogs(ClientConn* conn, Container* c, const pb::LogsRequest& req) {
  LogsOptions options;
  options.session_id = req.session_id();
  options.follow = req.follow();
  options.tail = req.tail();
  // tetherctl puts a timestamp before each line itself.
  options.by_line = req.timestamps();
  auto h = std::make_unique<LogsHandler>(conn);
  base::Result<std::unique_ptr<LogsFeed>> feed =
      LogsFeed::Open(h.get(), c, options);
  if (!feed.ok()) {
    conn->FailWith(feed.status().ToString());
    return;
  }
  LogsFeed* raw = feed->get();
  h->set_feed(std::move(*feed));
  conn->SetHandler(std::move(h));
  raw->Start();
}

}  // namespace endpoint
}  // namespace attach
