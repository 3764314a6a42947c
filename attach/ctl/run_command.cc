#include "attach/ctl/commands.h"

namespace attach {
namespace ctl {

Outcome RunCommand(const Invocation& inv, const Context& ctx) {
  switch (inv.command) {
    case Command::kCreate:
      return RunCreate(inv, ctx);
    case Command::kConfig:
      return RunConfig(inv, ctx);
    case Command::kPs:
      return RunPs(inv, ctx);
    case Command::kInspect:
      return RunInspect(inv, ctx);
    case Command::kLogs:
      return RunLogs(inv, ctx);
    case Command::kAttach:
      return RunAttach(inv, ctx);
    case Command::kExec:
      return RunExec(inv, ctx);
    case Command::kKill:
      return RunKill(inv, ctx);
    case Command::kWait:
      return RunWait(inv, ctx);
    case Command::kRm:
      return RunRm(inv, ctx);
    case Command::kRun:
      return RunRun(inv, ctx);
    case Command::kStart:
      return RunStart(inv, ctx);
    case Command::kPprof:
      return RunPprof(inv, ctx);
    case Command::kLoad:
      return RunLoad(inv, ctx);
    case Command::kImport:
      return RunImport(inv, ctx);
    case Command::kImages:
      return RunImages(inv, ctx);
    case Command::kRmi:
      return RunRmi(inv, ctx);
    case Command::kTag:
      return RunTag(inv, ctx);
    case Command::kImage:
      return RunImageInspect(inv, ctx);
    case Command::kPort:
      return RunPort(inv, ctx);
  }
  return Outcome{1};
}

}  // namespace ctl
}  // namespace attach
