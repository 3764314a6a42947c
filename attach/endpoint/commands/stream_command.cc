#include "attach/endpoint/commands/stream_command.h"

#include "attach/detach_keys.h"
#include "attach/endpoint/commands/commands.h"
#include "attach/endpoint/commands/output_feed.h"
#include "attach/endpoint/containers/registry.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// One client attached to one session.
class StreamHandler : public ClientConn::Handler, public SessionObserver {
 public:
  // `detach_keys`: matched in what the client's handed-over terminal types
  // (the client matches them itself when it relays).
  StreamHandler(ClientConn* conn, Container* container, Session* session,
                bool stdin, std::string detach_keys)
      : conn_(conn),
        container_(container),
        session_(session),
        stdin_(stdin),
        filter_(std::move(detach_keys)),
        // Nothing is replayed: the feed starts at the end of the log.
        feed_(conn, session, LogPos{session->log().size(), 0}, {}) {
    session_->AddObserver(this);
    ++session_->attached;
    feed_.Pump();
  }
  ~StreamHandler() override { Detach(); }

  // Tells the tether a client is here (and how big its terminal is).
  void Announce(uint32_t rows, uint32_t cols) {
    pb::Envelope attach;
    attach.mutable_attach()->set_session_id(session_->id());
    // Unavailable is fine: ReplayAttachments sends it on Hello.
    (void)container_->SendControl(attach);
    Resize(rows, cols);
  }

  void OnRequest(const pb::Request& req) override {
    if (session_ == nullptr) return;
    switch (req.req_case()) {
      case pb::Request::kStdin: {
        if (!conn_->has_terminal()) return WriteStdin(req.stdin().data());
        std::string forward;
        bool detached = filter_.Feed(req.stdin().data(), &forward);
        WriteStdin(forward);
        if (detached) DetachClient();
        break;
      }
      case pb::Request::kStdinClose:
        if (stdin_) session_->CloseStdin();
        break;
      case pb::Request::kResize:
        Resize(req.resize().rows(), req.resize().cols());
        break;
      default:
        conn_->FailWith("unexpected request during attach");
    }
  }

  void OnDrained() override { feed_.Pump(); }
  void OnOutput(const OutputEvent& event) override { feed_.OnOutput(event); }
  void OnSessionEnd(int exit_code, const std::string& error) override {
    if (session_ == nullptr || ended_) return;
    ended_ = true;
    // The exit code goes after every byte of output, however late. Still
    // observing: the feed may read the log until then.
    ClientConn* conn = conn_;
    feed_.End([conn, exit_code, error] {
      if (!error.empty()) {
        pb::Response resp;
        resp.set_error(error);
        conn->Send(resp);
      }
      SendExitCode(conn, exit_code);
    });
  }
  void OnContainerGone(const std::string& why) override {
    Detach();
    conn_->FailWith(why);
  }
  void OnStdinReady() override {
    if (session_ != nullptr) conn_->ResumeReading();
  }

 private:
  void WriteStdin(const std::string& data) {
    if (!stdin_ || data.empty() || session_ == nullptr) return;
    session_->WriteStdin(data);
    // Stop reading the client until the tether takes what is queued.
    if (session_->stdin_full()) conn_->PauseReading();
  }
  // The detach keys on a handed-over terminal: the session goes on, the
  // client is told once its output is on the terminal.
  void DetachClient() {
    Detach();
    pb::Response resp;
    resp.set_detached(true);
    conn_->Send(resp);
    conn_->Finish();
  }
  void Resize(uint32_t rows, uint32_t cols) {
    if (rows == 0 || cols == 0) return;
    session_->rows = rows;
    session_->cols = cols;
    pb::Envelope env;
    env.mutable_resize()->set_session_id(session_->id());
    env.mutable_resize()->set_rows(rows);
    env.mutable_resize()->set_cols(cols);
    (void)container_->SendControl(env);
  }
  void Detach() {
    feed_.Stop();
    if (session_ == nullptr) return;
    session_->RemoveObserver(this);
    --session_->attached;
    session_ = nullptr;
  }

  ClientConn* conn_;
  Container* container_;
  Session* session_;
  bool stdin_;
  EscapeFilter filter_;
  OutputFeed feed_;
  bool ended_ = false;
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
  auto h = std::make_unique<StreamHandler>(conn, c, *s, req.stdin(),
                                           req.handoff().detach_keys());
  StreamHandler* raw = h.get();
  conn->SetHandler(std::move(h));
  raw->Announce(req.rows(), req.cols());
}

void StartExec(ClientConn* conn, Container* c, const pb::ExecRequest& req) {
  if (req.args_size() == 0 || req.args(0).empty()) {
    conn->FailWith("No exec command specified");
    return;
  }
  if (!c->primary_running()) {
    conn->FailWith("Container " + c->id() + " is not running");
    return;
  }
  if (c->link() == nullptr) {
    conn->FailWith("Container " + c->id() + ": its tether is not connected");
    return;
  }
  base::Result<std::string> id = RandomHex(32);
  if (!id.ok()) {
    conn->FailWith(id.status().message());
    return;
  }
  pb::Envelope env;
  pb::Exec* exec = env.mutable_exec();
  exec->set_session_id(*id);
  exec->set_path(req.args(0));
  *exec->mutable_args() = req.args();
  *exec->mutable_env() = req.env();
  exec->set_workdir(req.workdir());
  exec->set_user(req.user());
  exec->set_tty(req.tty());
  exec->set_open_stdin(req.stdin());
  exec->set_rows(req.rows());
  exec->set_cols(req.cols());
  base::Result<Session*> s = c->GetSession(exec->session_id());
  if (!s.ok()) {
    conn->FailWith(s.status().message());
    return;
  }
  if (!TakeTerminal(conn, req.handoff())) return;
  c->AddExecSession(exec->session_id(), *exec);
  // Watch before asking, so not a byte of its output is missed.
  conn->SetHandler(std::make_unique<StreamHandler>(
      conn, c, *s, req.stdin(), req.handoff().detach_keys()));
  pb::Response resp;
  resp.set_exec_id(exec->session_id());
  conn->Send(resp);
  base::Status st = c->SendControl(env);
  if (!st.ok()) {
    // Ends like an exec the tether could not start: error, then 125.
    pb::ExecFailed failed;
    failed.set_session_id(exec->session_id());
    failed.set_exit_code(125);
    failed.set_message(st.message());
    c->ApplyExecFailed(failed);
  }
}

}  // namespace endpoint
}  // namespace attach
