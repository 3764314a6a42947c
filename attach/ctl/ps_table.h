// `tetherctl ps`: docker's container table from attachd's ContainerStatus
// list (columns CONTAINER ID, COMMAND, CREATED, STATUS, NAMES; an example
// is in docs/tetherctl.md). Pure functions; the current time is an
// argument.
#ifndef TETHER_ATTACH_CTL_PS_TABLE_H_
#define TETHER_ATTACH_CTL_PS_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "client.pb.h"

namespace attach {
namespace ctl {

// The daemon's Command column before quoting (moby daemon/list.go): argv
// joined by spaces, each argument after the first that contains a space
// wrapped in single quotes: {"sh","-c","echo hi"} -> "sh -c 'echo hi'".
std::string DockerCommand(const std::vector<std::string>& args);

// The first 12 characters of an id (docker's TruncateID).
std::string TruncateId(const std::string& id);

// "Up 3 seconds", "Exited (0) 2 minutes ago", "Created" — moby's
// State.String() for the container's state, start and finish times.
std::string StatusText(const tether::attach::ContainerStatus& c,
                       int64_t now_nanos);

// "5 seconds ago": the CREATED column (units.HumanDuration + " ago").
std::string CreatedText(const tether::attach::ContainerStatus& c,
                        int64_t now_nanos);

struct PsOptions {
  bool no_trunc = false;  // Full ids and commands.
  bool quiet = false;     // Ids only, one a line, no header.
};

// The whole output of `ps`, newest container first (docker's order, kept
// whatever order attachd sent). With no containers: the header only.
std::string FormatPs(std::vector<tether::attach::ContainerStatus> containers,
                     const PsOptions& options, int64_t now_nanos);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_PS_TABLE_H_
