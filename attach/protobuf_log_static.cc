// protobuf-lite's log messages for the static tether, without iostreams
// (docs/vm-image.md, "A lean tether").
//
// protobuf-lite's GOOGLE_LOG and GOOGLE_CHECK (in message_lite.o, the
// arena and the parsers) call LogMessage, which lives in the archive's
// common.o. That member is one .text section, and beside LogMessage it
// holds VerifyVersion and the double and uint128 formatters, which use
// std::ostringstream: linking it for LogMessage keeps libstdc++'s locale
// and stream instantiations (locale-inst, wlocale-inst, the shim facets,
// about 330 KB) and the wide-character printf, strftime and gconv code of
// libc they reach, in the binary and in its start-up page faults.
//
// This file defines the LogMessage members, LogFinisher and ghtonl that
// the linked members reference, with the layout of protobuf 3.21's
// stubs/logging.h, formatting with snprintf; so common.o is not pulled
// from the archive at all. If another member ever needs one of its other
// symbols, common.o is linked again and its definitions collide with
// these: a link error, never a silent mix. attach_link_lean_protobuf() in
// CMake links it into the static tether only; attachd and tetherctl keep
// protobuf's own. Messages go to stderr, as protobuf's default handler
// writes them; a FATAL one aborts (the tether never throws).
#include <arpa/inet.h>
#include <google/protobuf/stubs/common.h>
#include <google/protobuf/stubs/logging.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

static_assert(GOOGLE_PROTOBUF_VERSION / 1000 == 3021,
              "LogMessage's layout is protobuf 3.21's; check "
              "stubs/logging.h and common.o's symbols before changing this");

namespace google {
namespace protobuf {

uint32_t ghtonl(uint32_t x) { return htonl(x); }

namespace internal {
namespace {

template <typename T>
void Append(std::string* s, const char* format, T value) {
  char buf[64];
  int n = std::snprintf(buf, sizeof(buf), format, value);
  if (n > 0) s->append(buf, std::min(static_cast<size_t>(n), sizeof(buf) - 1));
}

}  // namespace

LogMessage::LogMessage(LogLevel level, const char* filename, int line)
    : level_(level), filename_(filename), line_(line) {}
LogMessage::~LogMessage() {}

LogMessage& LogMessage::operator<<(const std::string& value) {
  message_ += value;
  return *this;
}
LogMessage& LogMessage::operator<<(const char* value) {
  message_ += value;
  return *this;
}
LogMessage& LogMessage::operator<<(const StringPiece& value) {
  message_.append(value.data(), value.size());
  return *this;
}
LogMessage& LogMessage::operator<<(char value) {
  message_ += value;
  return *this;
}
LogMessage& LogMessage::operator<<(int value) {
  Append(&message_, "%d", value);
  return *this;
}
LogMessage& LogMessage::operator<<(uint value) {
  Append(&message_, "%u", value);
  return *this;
}
LogMessage& LogMessage::operator<<(long value) {
  Append(&message_, "%ld", value);
  return *this;
}
LogMessage& LogMessage::operator<<(unsigned long value) {
  Append(&message_, "%lu", value);
  return *this;
}
LogMessage& LogMessage::operator<<(long long value) {
  Append(&message_, "%lld", value);
  return *this;
}
LogMessage& LogMessage::operator<<(unsigned long long value) {
  Append(&message_, "%llu", value);
  return *this;
}
LogMessage& LogMessage::operator<<(double value) {
  Append(&message_, "%g", value);
  return *this;
}
LogMessage& LogMessage::operator<<(void* value) {
  Append(&message_, "%p", value);
  return *this;
}

void LogMessage::Finish() {
  static const char* const kLevels[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  int level = static_cast<int>(level_);
  std::fprintf(stderr, "[libprotobuf %s %s:%d] %s\n",
               level >= 0 && level < 4 ? kLevels[level] : "?", filename_, line_,
               message_.c_str());
  if (level_ == LOGLEVEL_FATAL) std::abort();
}

void LogFinisher::operator=(LogMessage& other) { other.Finish(); }

}  // namespace internal
}  // namespace protobuf
}  // namespace google
