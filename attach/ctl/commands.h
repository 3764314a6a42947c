// The tetherctl commands. Each runs one parsed Invocation against attachd
// and prints what docker's command of the same name prints; none throws.
// Exit codes follow docker: 0 success, 1 an error (attachd's or ours),
// 125 for create failures, the container's or exec'd process's code for
// attach and exec.
#ifndef TETHER_ATTACH_CTL_COMMANDS_H_
#define TETHER_ATTACH_CTL_COMMANDS_H_

#include <optional>
#include <string>

#include "attach/ctl/cli_args.h"
#include "attach/ctl/command_context.h"

namespace attach {
namespace ctl {

// Dispatches on inv.command.
Outcome RunCommand(const Invocation& inv, const Context& ctx);

// cmd_admin.cc: one request per container, a line of output each.
Outcome RunCreate(const Invocation& inv, const Context& ctx);
Outcome RunStart(const Invocation& inv, const Context& ctx);
// The CreateRequest for create's (and run's) flags; kInvalidArgument with
// docker's wording for a bad --memory.
base::Result<tether::attach::Request> CreateRequestFor(const CreateArgs& a);
// Sends a create request: the new id, or nullopt once the error (docker's
// wording) is printed.
std::optional<std::string> CreateContainer(
    const Context& ctx, const tether::attach::Request& req);
Outcome RunConfig(const Invocation& inv, const Context& ctx);
Outcome RunKill(const Invocation& inv, const Context& ctx);
Outcome RunWait(const Invocation& inv, const Context& ctx);
Outcome RunRm(const Invocation& inv, const Context& ctx);

// cmd_list.cc
Outcome RunPs(const Invocation& inv, const Context& ctx);
Outcome RunInspect(const Invocation& inv, const Context& ctx);

// cmd_logs.cc
Outcome RunLogs(const Invocation& inv, const Context& ctx);

// cmd_interactive.cc: the terminal is put in raw mode for a tty session
// and restored before these return, whatever happens.
Outcome RunAttach(const Invocation& inv, const Context& ctx);
Outcome RunExec(const Invocation& inv, const Context& ctx);

// cmd_run.cc: create + attach + start (+ remove), starting attachd first
// when none answers. Exits with the container's code; 125 when tetherctl
// or attachd failed before the container ran.
Outcome RunRun(const Invocation& inv, const Context& ctx);

// cmd_pprof.cc: serves the container's pprof endpoints on a local port,
// each request tunnelled through attachd and the attach link
// (docs/protocol.md §7), until SIGINT or SIGTERM.
Outcome RunPprof(const Invocation& inv, const Context& ctx);

// cmd_images.cc: docker's image commands. load and import stream the
// tarball to attachd (backpressure: attachd stops reading while its
// worker is behind) and print its lines ("Loaded image: x", the id);
// rmi prints "Untagged:" and "Deleted:" lines; port the published ports.
Outcome RunLoad(const Invocation& inv, const Context& ctx);
Outcome RunImport(const Invocation& inv, const Context& ctx);
Outcome RunImages(const Invocation& inv, const Context& ctx);
Outcome RunRmi(const Invocation& inv, const Context& ctx);
Outcome RunTag(const Invocation& inv, const Context& ctx);
Outcome RunImageInspect(const Invocation& inv, const Context& ctx);
Outcome RunPort(const Invocation& inv, const Context& ctx);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_COMMANDS_H_
