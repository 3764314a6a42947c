// One session of a container as attachd sees it: its persisted log, the
// clients watching its output live, and the stdin that clients send
// toward the tether.
//
// Output path (hot): TetherLink -> Session::AppendOutput -> SessionLog
// (one pwritev of header + bytes + trailer, straight from libssh's buffer)
// -> observers. Observers must not block; a client that cannot keep up is
// dropped by its own bounded queue (client_conn.h), never by slowing this.
//
// Loop thread only. Observers may add or remove observers (themselves or
// others) from inside a notification.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/containers/session_log.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// Output as it arrives. Clients that show it the same way share one
// encoding of it, made by the first that asks (Shared).
class OutputEvent {
 public:
  // Encodings a transport may share between its clients (its own slot).
  static constexpr int kSlots = 4;

  OutputEvent(uint8_t stream, std::string_view data, int64_t time_ns,
              LogPos pos)
      : stream(stream), data(data), time_ns(time_ns), pos(pos) {}

  // The encoding in `slot` (0..kSlots-1), built by `make` on first use.
  std::shared_ptr<const std::string> Shared(
      int slot,
      const std::function<std::string(const OutputEvent&)>& make) const;

  uint8_t stream;
  std::string_view data;
  int64_t time_ns;
  LogPos pos;  // Where `data` begins in the session's log.

 private:
  mutable std::shared_ptr<const std::string> shared_[kSlots];
};

class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  virtual void OnOutput(const OutputEvent& event) = 0;
  // The session ended with `exit_code`; `error` is set when it never ran
  // (ExecFailed). Called once.
  virtual void OnSessionEnd(int exit_code, const std::string& error) = 0;
  // The container is being removed or attachd is stopping.
  virtual void OnContainerGone(const std::string& why) = 0;
  // The stdin queue drained below its low mark (see Session::stdin_full).
  virtual void OnStdinReady() {}
  // The container's tether said Hello (primary session only): `start`
  // waits for this.
  virtual void OnTetherHello() {}
  // Whether an auto-remove container waits for this observer to leave
  // before it is removed: clients still reading its output do; a wait for
  // its removal must not.
  virtual bool holds_container() const { return true; }
};

// Where stdin goes: the tether's stream channel for the session.
class StdinSink {
 public:
  virtual ~StdinSink() = default;
  // Takes up to `len` bytes (limited by the SSH window); returns how many.
  virtual size_t WriteStdin(const char* data, size_t len) = 0;
  // Sends channel EOF: stdin is closed.
  virtual void CloseStdin() = 0;
};

class Session {
 public:
  Session(std::string id, std::unique_ptr<SessionLog> log)
      : id_(std::move(id)), log_(std::move(log)) {}
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const std::string& id() const { return id_; }
  SessionLog& log() { return *log_; }

  // Persists output, then shows it to the observers. kIoError from the log;
  // nothing is shown then.
  base::Status AppendOutput(uint8_t stream, const char* data, size_t len,
                            int64_t time_ns);

  void AddObserver(SessionObserver* o);
  void RemoveObserver(SessionObserver* o);  // No-op when absent.
  size_t observer_count() const;
  // Observers that hold the container (SessionObserver::holds_container).
  size_t holding_count() const;
  void NotifyEnd(int exit_code, const std::string& error);
  void NotifyGone(const std::string& why);
  void NotifyHello();

  // --- stdin toward the tether ---
  // Queues bytes (after stdin was closed they are dropped).
  void WriteStdin(std::string_view data);
  // Closes stdin once everything queued has gone.
  void CloseStdin();
  // Above the high mark: writers should stop reading their client until
  // OnStdinReady.
  bool stdin_full() const;
  // The tether's stream channel appeared (or went: nullptr).
  void SetSink(StdinSink* sink);
  StdinSink* sink() const { return sink_; }
  // Moves queued stdin into the sink as far as its window allows.
  void FlushStdin();

  // --- attach bookkeeping, replayed when a tether (re)connects ---
  int attached = 0;             // Clients attached (attach/exec).
  uint32_t rows = 0, cols = 0;  // Last size a client asked for.
  int idle_ticks = 0;           // Container::MaintainLogs calls without
                                // output.

 private:
  template <typename F>
  void ForEachObserver(F f);

  std::string id_;
  std::unique_ptr<SessionLog> log_;
  std::vector<SessionObserver*> observers_;  // nullptr = removed.
  int notifying_ = 0;
  std::string stdin_;
  size_t stdin_head_ = 0;  // Bytes of stdin_ already sent.
  bool stdin_closing_ = false;
  bool stdin_closed_ = false;
  bool stdin_was_full_ = false;
  StdinSink* sink_ = nullptr;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_SESSION_H_
