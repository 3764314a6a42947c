// What every tetherctl command runs with, and the pieces they share:
// one-request calls to attachd and docker's wording for errors.
#ifndef TETHER_ATTACH_CTL_COMMAND_CONTEXT_H_
#define TETHER_ATTACH_CTL_COMMAND_CONTEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "attach/ctl/inspect_json.h"
#include "base/result.h"
#include "client.pb.h"

namespace attach {
namespace ctl {

// The process's standard streams, or pipes in tests.
struct Io {
  int in = 0;
  int out = 1;
  int err = 2;
};

struct Context {
  std::string socket_path;  // <state-dir>/attachd.sock
  Io io;
  int64_t (*now)() = nullptr;  // Wall clock in ns; null: the real one.
};

// How tetherctl ends: an exit code, or a signal to die of once everything
// (the terminal mode above all) has been restored.
struct Outcome {
  int exit_code = 0;
  int raise_signal = 0;
};

// Writes all of `text` to `fd`; output errors are not reportable anywhere
// better, so they are ignored (a closed stdout ends the command anyway).
void Print(int fd, std::string_view text);

// "Error response from daemon: <msg>": how docker prints an error that
// attachd sent back (Response.error).
std::string DaemonError(const std::string& msg);

// attachd's error for a reference that names no container.
bool IsNoSuchContainer(const std::string& msg);

// One request on a fresh connection: the first Response, or nullopt when
// attachd closed the connection without one. Connection errors carry
// their user-facing text (ClientConn::Connect).
base::Result<std::optional<tether::attach::Response>> Call(
    const Context& ctx, const tether::attach::Request& req);

// A container as inspect and attach need it: its status and, when the
// config request worked, its primary session's settings.
struct ContainerInfo {
  tether::attach::ContainerStatus status;
  std::optional<SessionFacts> facts;
};

// Inspect (and config) for `ref`. nullopt, with attachd's Response.error
// text in `*daemon_error`, when attachd refused (no such container); a
// Status when attachd could not be reached or answered nonsense. A failed
// config request only leaves `facts` empty.
base::Result<std::optional<ContainerInfo>> FetchContainer(
    const Context& ctx, const std::string& ref, std::string* daemon_error);

// Prints a Status from Call/FetchContainer on stderr (its message as is).
void PrintFailure(const Context& ctx, const base::Status& s);

// FetchContainer for a command that cannot go on without the container:
// a failure or attachd's refusal is printed on stderr, and nullopt returned.
std::optional<ContainerInfo> FetchContainerOrReport(const Context& ctx,
                                                    const std::string& ref);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_COMMAND_CONTEXT_H_
