#include "tether/console.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/fd_io.h"
#include "base/log.h"

namespace tether {

void ConsoleSink::OnOutput(Session&, Stream stream, const char* data,
                           size_t len) {
  int fd = stream == Stream::kStderr ? STDERR_FILENO : STDOUT_FILENO;
  if (broken_[fd]) return;
  base::Status s = base::WriteAll(fd, data, len);
  if (!s.ok()) {
    // The reader is gone; the ring still holds the output.
    broken_[fd] = true;
    LOG_WARN("console fd %d: %s; output kept for the endpoint only", fd,
             s.ToString().c_str());
  }
}

base::Status StdinBridge::Start() {
  // The pump owns and closes its fd. Close-on-exec: a session started
  // later (a restart) must not inherit the user's terminal, where it could
  // push input into the user's shell (TIOCSTI).
  int fd = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return base::Status::Io("dup stdin", errno);
  auto pump = OutputPump::Start(
      loop_, base::UniqueFd(fd),
      [this](const char* d, size_t n) {
        session_.WriteStdin(d, n);
        // The next read may be a whole buffer: stop while it would not
        // fit, and let the session's queue drain (Session::StdinRoom).
        if (session_.StdinRoom() < kMaxRead) pump_->Pause();
      },
      [this]() { session_.CloseStdin(); });
  if (!pump.ok()) return pump.TakeStatus().Annotate("forward stdin");
  pump_ = std::move(pump).value();
  session_.SetStdinRoomCallback([this](Session&) {
    if (pump_) pump_->Resume();
  });
  return base::Status::Ok();
}

}  // namespace tether
