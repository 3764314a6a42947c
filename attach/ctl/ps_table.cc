#include "attach/ctl/ps_table.h"

#include <algorithm>

#include "attach/ctl/go_text.h"
#include "attach/docker/container_text.h"

namespace attach {
namespace ctl {
namespace {

using docker::CreatedText;
using docker::DockerCommand;
using docker::ImageText;
using docker::PortsText;
using docker::StatusText;
using docker::TruncateId;

using tether::attach::ContainerStatus;

// docker ps truncates COMMAND to 20 columns.
constexpr size_t kCommandWidth = 20;

}  // namespace

std::string FormatPs(std::vector<ContainerStatus> containers,
                     const PsOptions& options, int64_t now_nanos) {
  std::stable_sort(containers.begin(), containers.end(),
                   [](const ContainerStatus& a, const ContainerStatus& b) {
                     return a.created_at() > b.created_at();
                   });
  if (options.quiet) {
    std::string out;
    for (const ContainerStatus& c : containers) {
      out += (options.no_trunc ? c.id() : TruncateId(c.id())) + "\n";
    }
    return out;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS",
                  "PORTS", "NAMES"});
  for (const ContainerStatus& c : containers) {
    std::string command = DockerCommand({c.args().begin(), c.args().end()});
    if (!options.no_trunc) command = Ellipsis(command, kCommandWidth);
    rows.push_back({options.no_trunc ? c.id() : TruncateId(c.id()),
                    ImageText(c, options.no_trunc), GoQuote(command),
                    CreatedText(c, now_nanos), StatusText(c, now_nanos),
                    PortsText(c), c.name()});
  }
  return AlignColumns(rows);
}

}  // namespace ctl
}  // namespace attach
