#include "guestinfo/signal_names.h"

#include <csignal>

#include "guestinfo/json_fields.h"

namespace guestinfo {
namespace {

struct SignalEntry {
  const char* name;  // With the "SIG" prefix, as SignalName returns it.
  int signo;
};

// The canonical name of each number comes first; aliases follow it.
constexpr SignalEntry kSignals[] = {
    {"SIGHUP", SIGHUP},       {"SIGINT", SIGINT},       {"SIGQUIT", SIGQUIT},
    {"SIGILL", SIGILL},       {"SIGTRAP", SIGTRAP},     {"SIGABRT", SIGABRT},
    {"SIGIOT", SIGIOT},       {"SIGBUS", SIGBUS},       {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL},     {"SIGUSR1", SIGUSR1},     {"SIGSEGV", SIGSEGV},
    {"SIGUSR2", SIGUSR2},     {"SIGPIPE", SIGPIPE},     {"SIGALRM", SIGALRM},
    {"SIGTERM", SIGTERM},     {"SIGSTKFLT", SIGSTKFLT}, {"SIGCHLD", SIGCHLD},
    {"SIGCLD", SIGCHLD},      {"SIGCONT", SIGCONT},     {"SIGSTOP", SIGSTOP},
    {"SIGTSTP", SIGTSTP},     {"SIGTTIN", SIGTTIN},     {"SIGTTOU", SIGTTOU},
    {"SIGURG", SIGURG},       {"SIGXCPU", SIGXCPU},     {"SIGXFSZ", SIGXFSZ},
    {"SIGVTALRM", SIGVTALRM}, {"SIGPROF", SIGPROF},     {"SIGWINCH", SIGWINCH},
    {"SIGIO", SIGIO},         {"SIGPOLL", SIGPOLL},     {"SIGPWR", SIGPWR},
    {"SIGSYS", SIGSYS},
};

constexpr int kMaxSignal = 31;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

base::Result<int> ParseSignal(std::string_view text) {
  base::Status unknown =
      base::Status::InvalidArgument("unknown signal " + Quote(text));
  if (text.empty()) return unknown;
  if (text.front() >= '0' && text.front() <= '9') {
    // At most two digits keeps the arithmetic trivially in range.
    if (text.size() > 2) return unknown;
    int n = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return unknown;
      n = n * 10 + (c - '0');
    }
    if (n < 1 || n > kMaxSignal) return unknown;
    return n;
  }
  std::string_view bare = text;
  if (bare.size() > 3 && EqualsIgnoreCase(bare.substr(0, 3), "SIG")) {
    bare.remove_prefix(3);
  }
  for (const SignalEntry& e : kSignals) {
    if (EqualsIgnoreCase(bare, e.name + 3)) return e.signo;
  }
  return unknown;
}

const char* SignalName(int signo) {
  for (const SignalEntry& e : kSignals) {
    if (e.signo == signo) return e.name;
  }
  return "";
}

}  // namespace guestinfo
