// `tetherctl ps`: docker's container table from attachd's ContainerStatus
// list (columns CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, PORTS,
// NAMES; an example is in docs/tetherctl.md). Pure functions; the current
// time is an argument.
#ifndef TETHER_ATTACH_CTL_PS_TABLE_H_
#define TETHER_ATTACH_CTL_PS_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "attach/docker/container_text.h"
#include "client.pb.h"

namespace attach {
namespace ctl {

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
