// logs: a session's persisted output from its log (all of it, the last N
// lines, or what arrived in a time window), then, with follow, its live
// output until the session ends or the client goes.
//
// Reading is paced by the client: the next records are read only when its
// queue is below its low mark, so a large log streams in bounded memory.
// The switch from the file to live output happens within one loop turn,
// when the cursor has reached the log's end, so no record is missed or
// shown twice. Lost output (a gap record) is shown as a line
// "[attachd: N bytes of output lost (offsets A..B)]".
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_LOGS_FEED_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_LOGS_FEED_H_

#include <cstdint>
#include <memory>
#include <string>

#include "attach/endpoint/commands/output_feed.h"
#include "attach/endpoint/commands/output_sink.h"
#include "attach/endpoint/containers/container.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// What a logs client hears besides its output.
class LogsClient : public OutputSink {
 public:
  // Everything there is to show has been sent.
  virtual void OnLogsEnd() = 0;
  // The container is going away (removed, or attachd stopping).
  virtual void OnGone(const std::string& why) = 0;
};

struct LogsOptions {
  std::string session_id;  // Empty: the primary session.
  bool follow = false;
  int64_t tail = -1;     // Lines from the end; <0: all.
  bool by_line = false;  // Pieces never past a newline (timestamps).
  int64_t since_ns = 0;  // Received at or after; 0: no bound.
  int64_t until_ns = 0;  // Received at or before; 0: no bound.
};

class LogsFeed : public SessionObserver {
 public:
  // The feed for `c`'s session, not started yet; errors are for the user
  // (an unknown session, an unreadable log).
  static base::Result<std::unique_ptr<LogsFeed>> Open(LogsClient* client,
                                                      Container* c,
                                                      const LogsOptions& o);
  ~LogsFeed() override;
  LogsFeed(const LogsFeed&) = delete;
  LogsFeed& operator=(const LogsFeed&) = delete;

  // Sends what the client can take; OnLogsEnd may come from inside.
  void Start();
  // The client's queue drained.
  void Pump() { feed_.Pump(); }

  void OnOutput(const OutputEvent& event) override { feed_.OnOutput(event); }
  void OnSessionEnd(int, const std::string&) override { EndFeed(); }
  void OnContainerGone(const std::string& why) override;

 private:
  LogsFeed(LogsClient* client, Session* session, LogPos start,
           OutputFeed::Options options, bool follow);
  void EndFeed();
  void Detach();

  LogsClient* client_;
  Session* session_;
  OutputFeed feed_;
  bool follow_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_LOGS_FEED_H_
