#include "attach/endpoint/commands/logs_feed.h"

#include <utility>

namespace attach {
namespace endpoint {

base::Result<std::unique_ptr<LogsFeed>> LogsFeed::Open(LogsClient* client,
                                                       Container* c,
                                                       const LogsOptions& o) {
  std::string id = o.session_id.empty() ? kPrimarySession : o.session_id;
  TETHER_ASSIGN_OR_RETURN(Session * session, c->GetSession(id));
  SessionLog& log = session->log();
  LogPos start;
  if (o.tail >= 0) {
    LogView source(&log);
    TETHER_ASSIGN_OR_RETURN(
        start, FindTailStart(&source, static_cast<uint64_t>(o.tail)));
  }
  OutputFeed::Options options;
  options.by_line = o.by_line;
  options.gap_notices = true;
  options.since_ns = o.since_ns;
  options.until_ns = o.until_ns;
  // Without follow (or once the session has ended), the log as it is now
  // is all there is.
  const SessionRecord* rec = c->status().Find(id);
  bool follow = o.follow && (rec == nullptr || !rec->exited);
  return std::unique_ptr<LogsFeed>(
      new LogsFeed(client, session, start, options, follow));
}

LogsFeed::LogsFeed(LogsClient* client, Session* session, LogPos start,
                   OutputFeed::Options options, bool follow)
    : client_(client),
      session_(session),
      feed_(client, session, start, options),
      follow_(follow) {
  session_->AddObserver(this);
}

LogsFeed::~LogsFeed() { Detach(); }

void LogsFeed::Start() {
  if (!follow_) EndFeed();
  feed_.Pump();
}

void LogsFeed::OnContainerGone(const std::string& why) {
  Detach();
  client_->OnGone(why);
}

void LogsFeed::EndFeed() {
  LogsClient* client = client_;
  feed_.End([client] { client->OnLogsEnd(); });
}

void LogsFeed::Detach() {
  feed_.Stop();
  if (session_ != nullptr) session_->RemoveObserver(this);
  session_ = nullptr;
}

}  // namespace endpoint
}  // namespace attach
