// tetherctl's command line (CLI11), docker-style:
//
//   tetherctl [--state-dir DIR] COMMAND [OPTIONS] ARGS...
//
// Options of a command come before its first argument; everything from
// there on is arguments, so `exec web sh -c 'ls -l'` passes -c to sh, as
// docker does. `--` also ends the options (`create -t -- sh -l`).
// ParseArgs never throws: CLI11's exceptions stay inside cli_args.cc.
#ifndef TETHER_ATTACH_CTL_CLI_ARGS_H_
#define TETHER_ATTACH_CTL_CLI_ARGS_H_

#include <optional>
#include <string>
#include <vector>

namespace attach {
namespace ctl {

// Where attachd keeps its socket when neither --state-dir nor
// $TETHER_STATE_DIR says otherwise.
constexpr char kDefaultStateDir[] = "/var/lib/tether";

enum class Command {
  kCreate,
  kConfig,
  kPs,
  kInspect,
  kLogs,
  kAttach,
  kExec,
  kKill,
  kWait,
  kRm,
  kRun,
  kStart,
  kPprof,
  kLoad,
  kImport,
  kImages,
  kRmi,
  kTag,
  kImage,  // image inspect
  kPort,
};

struct CreateArgs {
  std::string name;
  bool tty = false;              // -t
  bool interactive = false;      // -i: keep stdin open (open_stdin).
  std::vector<std::string> env;  // -e K=V or -e K (taken from our env).
  std::string user;              // -u
  std::string workdir;           // -w
  std::string endpoint;          // --endpoint ADDR
  bool attach_before_start = false;
  std::string memory;                // -m: VM memory (memory_flag.h).
  bool rm = false;                   // --rm: remove once it has exited.
  std::vector<std::string> command;  // CMD ARGS...
  // The image (--image); empty: when `dashdash` is false, the first word
  // of `command` names one if attachd has an image of that name (docker's
  // `run IMAGE CMD`), else the VM image's own root runs `command`.
  std::string image;
  bool dashdash = false;              // `--` came before the command.
  std::vector<std::string> publish;   // -p values.
  bool publish_all = false;           // -P
  std::vector<std::string> entrypoint;  // --entrypoint (given: one value)
  std::string network;                // --network none|bridge
};

// load, import, images, rmi, tag.
struct ImageArgs {
  std::string input;                 // load -i FILE ("" : stdin)
  bool quiet = false;                // load -q, images -q
  std::vector<std::string> changes;  // import -c
  std::string message;               // import -m
  bool all = false;                  // images -a
  bool no_trunc = false;             // images --no-trunc
  bool force = false;                // rmi -f
};

// run = create (the flags above) + start + attach.
struct RunArgs {
  bool detach = false;  // -d: print the id once the VM is up.
  // Where an attachd that run starts itself listens for tethers; empty:
  // the state directory's last address if free, else a free port
  // (attachd_starter.h).
  std::string listen;
  std::string detach_keys;
  bool sig_proxy = true;
};

struct PsArgs {
  bool all = false;
  bool no_trunc = false;
  bool quiet = false;
};

struct LogsArgs {
  bool follow = false;
  bool timestamps = false;
  std::string tail = "all";  // "all" or a line count.
};

struct AttachArgs {
  bool no_stdin = false;
  std::string detach_keys;  // docker syntax; empty: ctrl-p,ctrl-q.
  bool sig_proxy = true;    // Forward signals to a non-tty container.
};

struct ExecArgs {
  bool interactive = false;
  bool tty = false;
  std::vector<std::string> env;
  std::string user;
  std::string workdir;
  std::string detach_keys;
  std::vector<std::string> command;  // CMD ARGS... (after the container).
};

struct Invocation {
  std::string state_dir;
  Command command = Command::kPs;
  // Container references in the order given: one for config, logs,
  // attach and exec; one or more for inspect, kill, wait and rm.
  std::vector<std::string> containers;
  CreateArgs create;
  PsArgs ps;
  LogsArgs logs;
  AttachArgs attach;
  ExecArgs exec;
  RunArgs run;  // With `create` for run's create flags.
  // pprof --listen: where tetherctl serves the container's profiles.
  std::string pprof_listen = "127.0.0.1:6060";
  std::string kill_signal;  // kill -s; empty: KILL.
  bool rm_force = false;    // rm -f
  ImageArgs image;
  // Arguments of the image commands: load none, import FILE [REPO[:TAG]],
  // images [REPO], rmi IMAGE..., tag SOURCE TARGET, image inspect IMAGE...
  std::vector<std::string> args;
};

// Either a command to run, or text to print and an exit code (help: 0 on
// stdout; usage errors on stderr: 125 for a bad flag as docker, 1 for a
// wrong number of arguments or an unknown command).
struct ParseOutcome {
  std::optional<Invocation> invocation;
  int exit_code = 0;
  std::string out;
  std::string err;
};

// `env_state_dir` is $TETHER_STATE_DIR (null when unset).
ParseOutcome ParseArgs(int argc, const char* const* argv,
                       const char* env_state_dir);

// docker's -e semantics: "K=V" stays; a bare "K" takes K's value from
// tetherctl's own environment, and is dropped when K is unset there.
std::vector<std::string> ResolveEnvFlags(const std::vector<std::string>& env);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_CLI_ARGS_H_
