// The tether's command line (getopt_long), and the config it implies in
// tini-like use: `tether [OPTIONS] -- CMD ARGS...` runs CMD as the primary
// session with the tether's own environment and working directory, like
// tini.
#ifndef TETHER_TETHER_CLI_H_
#define TETHER_TETHER_CLI_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "guestinfo/config.h"

namespace tether {

struct CliOptions {
  std::string config_path;           // --config FILE
  std::vector<std::string> command;  // After "--".
  bool tty = false;                  // -t: the command gets a pty.
  bool signal_group = false;         // -g: signal the process group.
  bool vm = false;                   // --vm: early init even if not PID 1.
  int verbosity = -1;                // -v count; -1: from the config.
  std::string user;                  // -u USER for the command.
  std::string workdir;               // -w DIR for the command.
  int64_t drain_timeout_ms = 5000;   // --drain-timeout MS
  bool drain_timeout_given = false;  // It was on the command line.
  bool help = false;                 // --help: print `usage` and exit 0.
  bool version = false;              // --version
  std::string usage;                 // The help text, with `help` only.
};

// Parses argv; not thread-safe (getopt_long's globals). Errors are
// kInvalidArgument naming the argument, e.g. `unknown option --bogus`,
// `option --config needs a value`, `--drain-timeout: want milliseconds from
// 0 to 600000, got "x"`.
base::Result<CliOptions> ParseCli(int argc, const char* const* argv);

// The config for `tether -- CMD`: one primary session "main" running
// `command` with `env`, in the current directory (empty workdir), stdin
// passed through and nothing taken away ("privileged") as tini does.
guestinfo::Config CommandConfig(const CliOptions& options,
                                std::vector<std::string> env);

}  // namespace tether

#endif  // TETHER_TETHER_CLI_H_
