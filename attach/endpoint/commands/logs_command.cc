#include "attach/endpoint/commands/logs_command.h"

#include <memory>

#include "attach/endpoint/commands/commands.h"
#include "attach/endpoint/commands/output_feed.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

class LogsHandler : public ClientConn::Handler, public SessionObserver {
 public:
  LogsHandler(ClientConn* conn, Session* session, LogPos start,
              OutputFeed::Options options)
      : conn_(conn), session_(session), feed_(conn, session, start, options) {
    session_->AddObserver(this);
  }
  ~LogsHandler() override { Detach(); }

  // Without follow (or once the session has ended), the log as it is now
  // is all there is.
  void Start(bool follow) {
    if (!follow) EndFeed();
    feed_.Pump();
  }

  void OnRequest(const pb::Request&) override {}
  void OnDrained() override { feed_.Pump(); }
  void OnOutput(const OutputEvent& event) override { feed_.OnOutput(event); }
  void OnSessionEnd(int, const std::string&) override { EndFeed(); }
  void OnContainerGone(const std::string& why) override {
    Detach();
    conn_->FailWith(why);
  }

 private:
  void EndFeed() {
    ClientConn* conn = conn_;
    feed_.End([conn] { SendDone(conn); });
  }
  void Detach() {
    feed_.Stop();
    if (session_ != nullptr) session_->RemoveObserver(this);
    session_ = nullptr;
  }

  ClientConn* conn_;
  Session* session_;
  OutputFeed feed_;
};

}  // namespace

void StartLogs(ClientConn* conn, Container* c, const pb::LogsRequest& req) {
  std::string id =
      req.session_id().empty() ? kPrimarySession : req.session_id();
  base::Result<Session*> s = c->GetSession(id);
  if (!s.ok()) {
    conn->FailWith(s.status().message());
    return;
  }
  SessionLog& log = (*s)->log();
  LogPos start;
  if (req.tail() >= 0) {
    FileSource source(log.fd(), log.size());
    base::Result<LogPos> pos =
        FindTailStart(&source, static_cast<uint64_t>(req.tail()));
    if (!pos.ok()) {
      conn->FailWith(pos.status().ToString());
      return;
    }
    start = *pos;
  }
  OutputFeed::Options options;
  options.timestamps = req.timestamps();
  options.gap_notices = true;
  auto h = std::make_unique<LogsHandler>(conn, *s, start, options);
  LogsHandler* raw = h.get();
  conn->SetHandler(std::move(h));
  const SessionRecord* rec = c->status().Find(id);
  raw->Start(req.follow() && (rec == nullptr || !rec->exited));
}

}  // namespace endpoint
}  // namespace attach
