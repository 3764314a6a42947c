// Terminal helpers: window sizes and raw mode for the tether's own console.
#ifndef TETHER_BASE_TERMINAL_H_
#define TETHER_BASE_TERMINAL_H_

#include <termios.h>

#include <cstdint>
#include <optional>

#include "base/status.h"

namespace base {

struct WindowSize {
  uint16_t rows = 24;
  uint16_t cols = 80;
};

bool IsTerminal(int fd);
// The size of the terminal on `fd`, or nullopt when it is none.
std::optional<WindowSize> GetWindowSize(int fd);
// TIOCSWINSZ: the kernel sends SIGWINCH to the terminal's foreground group.
Status SetWindowSize(int fd, WindowSize size);

// Puts a terminal in raw mode for the lifetime of the object (like ssh -t):
// keystrokes, including ^C, go to the container, which owns the pty.
// Restores the saved mode on destruction. A non-terminal fd is left alone.
class ScopedRawMode {
 public:
  explicit ScopedRawMode(int fd);
  ~ScopedRawMode();
  ScopedRawMode(const ScopedRawMode&) = delete;
  ScopedRawMode& operator=(const ScopedRawMode&) = delete;

 private:
  int fd_ = -1;
  struct termios saved_;
};

}  // namespace base

#endif  // TETHER_BASE_TERMINAL_H_
