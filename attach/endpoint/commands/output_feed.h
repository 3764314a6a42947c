// Delivers one session's output to one client, starting at a place in the
// session's log: from the file while the client is behind (as fast as the
// client drains its queue), as shared live frames once it has caught up,
// and back to the file whenever its queue cannot take the next live
// output. Every byte is in the log before it is shown, so a slow reader
// gets all of its output late rather than being dropped, and the tether,
// the log and the other clients never wait for it. (A client that stops
// reading altogether is dropped by its transport's stall check.)
//
// The switch from file to live happens within one loop turn, when the
// cursor reaches the log's end, so nothing is missed or sent twice.
//
// Loop thread only. The owner forwards OnOutput and OnDrained, and calls
// Stop() before the session goes away.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_OUTPUT_FEED_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_OUTPUT_FEED_H_

#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "attach/endpoint/commands/output_sink.h"
#include "attach/endpoint/containers/log_reader.h"
#include "attach/endpoint/containers/session.h"

namespace attach {
namespace endpoint {

// Pins the session's log while it reads from it (SessionLog::Pin): what
// this client has not been sent yet is not rotated away.
class OutputFeed : private SessionLog::Pin {
 public:
  struct Options {
    bool by_line = false;      // Never a piece past a newline (timestamps).
    bool gap_notices = false;  // Show lost output as a GapNotice line.
    // Only output received in [since_ns, until_ns] (docker logs --since,
    // --until); 0: no bound.
    int64_t since_ns = 0;
    int64_t until_ns = 0;
  };

  // `sink` and `session` must outlive the feed (or Stop() be called).
  OutputFeed(OutputSink* sink, Session* session, LogPos start, Options options);
  ~OutputFeed() override { Stop(); }
  OutputFeed(const OutputFeed&) = delete;
  OutputFeed& operator=(const OutputFeed&) = delete;

  // Sends what the client can take now.
  void Pump();
  void OnOutput(const OutputEvent& event);
  // The session will add nothing more that this client should see:
  // `finish` runs once all output before this point has been sent (now,
  // or when the file catches up). Runs at most once.
  void End(std::function<void()> finish);
  // Stops for good (the session is going away or the client is done).
  void Stop();

 private:
  // Sends `data`; returns how many bytes fit in the client's queue (output
  // outside the time bounds counts as sent).
  size_t Emit(uint8_t stream, std::string_view data, int64_t time_ns);
  bool InTimeBounds(int64_t time_ns) const;
  // Live, it needs nothing from the file; else from its cursor on.
  uint64_t needed_from() const override;
  // Fallen more than the pin limit behind: with gap_notices, a GapNotice
  // goes out before the output that follows, as for a kGap record.
  void Lost(uint8_t stream, uint64_t from, uint64_t to,
            int64_t time_ns) override;
  // Sends the notices of Lost; false when the client's queue is full.
  bool SendLostNotices();
  void BackToFile(LogPos at);
  void Finish();

  OutputSink* sink_;
  Session* session_;
  LogCursor cursor_;
  Options options_;
  bool live_ = false;
  // Lost output of one stream, [from, to); losses that follow on merge.
  struct Notice {
    uint8_t stream;
    uint64_t from;
    uint64_t to;
    int64_t time_ns;
    std::string text;  // Once sending began: what is left of it.
  };
  std::deque<Notice> lost_;
  std::function<void()> finish_;
  bool finished_ = false;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_OUTPUT_FEED_H_
