#include "base/log.h"

#include <termios.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace base {
namespace {

// Process-wide by nature (see log.h); written once at start-up.
LogLevel g_level = LogLevel::kWarning;
const char* g_program = "tether";
LogSink g_sink = nullptr;
void* g_sink_ctx = nullptr;
bool g_sink_only = false;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }
LogLevel GetLogLevel() { return g_level; }
void SetLogProgram(const char* name) { g_program = name; }

void SetLogSink(LogSink sink, void* ctx, bool replace_stderr) {
  g_sink = sink;
  g_sink_ctx = ctx;
  g_sink_only = sink != nullptr && replace_stderr;
}

void LogPrintf(LogLevel level, const char* fmt, ...) {
  char buf[2048];
  int n = std::snprintf(buf, sizeof(buf), "%s: %s: ", g_program,
                        LevelName(level));
  if (n < 0) return;
  va_list ap;
  va_start(ap, fmt);
  int m = std::vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
  va_end(ap);
  if (m < 0) return;
  size_t len = static_cast<size_t>(n) + static_cast<size_t>(m);
  if (len > sizeof(buf) - 2) len = sizeof(buf) - 2;  // Truncated line.
  buf[len++] = '\n';
  // One write keeps the line whole; a short write to the console is not
  // worth retrying at the cost of blocking PID 1.
  if (g_sink != nullptr) g_sink(buf, len, g_sink_ctx);
  if (g_sink_only) return;
  ssize_t ignored = ::write(STDERR_FILENO, buf, len);
  (void)ignored;
}

void LogRecord(std::string_view line) {
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

void LogDrain() {
  // ENOTTY for anything but a terminal: nothing to wait for.
  (void)::tcdrain(STDERR_FILENO);
}

void CheckFailed(const char* file, int line, const char* cond) {
  LogPrintf(LogLevel::kError, "%s:%d: check failed: %s", file, line, cond);
  std::abort();
}

}  // namespace base
