// Minimal leveled logging to stderr (the console in a VM).
//
// The level is process-wide: it is set once by main() from the config's
// `debug` field and read everywhere. Messages never carry secrets or
// environment values; callers are responsible for what they pass.
#ifndef TETHER_BASE_LOG_H_
#define TETHER_BASE_LOG_H_

#include <cstddef>
#include <string_view>

namespace base {

enum class LogLevel { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

// Sets the threshold and the program name printed before each line.
void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
void SetLogProgram(const char* name);  // `name` must outlive all logging.

// printf-style; appends a newline. Writes with a single write(2) so lines
// from concurrent processes sharing the console do not interleave.
void LogPrintf(LogLevel level, const char* fmt, ...)
    __attribute__((format(printf, 2, 3)));

// Writes `line` (ending in '\n') to stderr as it is, whatever the level, in
// one write(2): for a record another program reads back (the tether's exit
// record on the console, guestinfo/exit_record.h).
void LogRecord(std::string_view line);

// Waits until what was written to stderr has left the terminal it is
// (tcdrain); returns at once for a pipe or a file. Before a power-off,
// which would cut what the serial port had not sent yet.
void LogDrain();

// Where each line also goes (attachd's --log-file): `sink` gets the whole
// line, newline included, from the thread that logs. With
// `replace_stderr` the line goes to the sink only (stderr is that same
// file already). Set once at start-up, before any thread logs; a null
// sink restores plain stderr.
using LogSink = void (*)(const char* line, size_t len, void* ctx);
void SetLogSink(LogSink sink, void* ctx, bool replace_stderr);

}  // namespace base

#define TETHER_LOG(level, ...)                                      \
  do {                                                              \
    if (static_cast<int>(::base::LogLevel::level) <=                \
        static_cast<int>(::base::GetLogLevel()))                    \
      ::base::LogPrintf(::base::LogLevel::level, __VA_ARGS__);      \
  } while (0)
#define LOG_ERROR(...) TETHER_LOG(kError, __VA_ARGS__)
#define LOG_WARN(...) TETHER_LOG(kWarning, __VA_ARGS__)
#define LOG_INFO(...) TETHER_LOG(kInfo, __VA_ARGS__)
#define LOG_DEBUG(...) TETHER_LOG(kDebug, __VA_ARGS__)

// For programming errors only, never for input (PID 1 must not abort on
// anything it reads).
#define TETHER_CHECK(cond)                                              \
  do {                                                                  \
    if (!(cond)) ::base::CheckFailed(__FILE__, __LINE__, #cond);        \
  } while (0)

namespace base {
[[noreturn]] void CheckFailed(const char* file, int line, const char* cond);
}  // namespace base

#endif  // TETHER_BASE_LOG_H_
