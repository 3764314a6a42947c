#include "base/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

namespace base {

bool IsTerminal(int fd) { return ::isatty(fd) == 1; }

std::optional<WindowSize> GetWindowSize(int fd) {
  struct winsize ws;
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) {
    return std::nullopt;
  }
  return WindowSize{ws.ws_row, ws.ws_col};
}

Status SetWindowSize(int fd, WindowSize size) {
  struct winsize ws = {};
  ws.ws_row = size.rows;
  ws.ws_col = size.cols;
  if (::ioctl(fd, TIOCSWINSZ, &ws) != 0) return Status::Io("TIOCSWINSZ", errno);
  return Status::Ok();
}

ScopedRawMode::ScopedRawMode(int fd) {
  if (!IsTerminal(fd) || ::tcgetattr(fd, &saved_) != 0) return;
  struct termios raw = saved_;
  ::cfmakeraw(&raw);
  if (::tcsetattr(fd, TCSADRAIN, &raw) == 0) fd_ = fd;
}

ScopedRawMode::~ScopedRawMode() {
  if (fd_ >= 0) ::tcsetattr(fd_, TCSADRAIN, &saved_);
}

}  // namespace base
