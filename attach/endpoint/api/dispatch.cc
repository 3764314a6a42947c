#include "attach/endpoint/api/routes.h"

namespace attach {
namespace endpoint {
namespace api {

void Dispatch(RouteId id, Call& call) {
  switch (id) {
    case RouteId::kPing:
      return Ping(call);
    case RouteId::kVersion:
      return Version(call);
    case RouteId::kInfo:
      return Info(call);
    case RouteId::kContainerList:
      return ContainerList(call);
    case RouteId::kContainerCreate:
      return ContainerCreate(call);
    case RouteId::kContainerInspect:
      return ContainerInspect(call);
    case RouteId::kContainerStart:
      return ContainerStart(call);
    case RouteId::kContainerStop:
      return ContainerStop(call);
    case RouteId::kContainerRestart:
      return ContainerRestart(call);
    case RouteId::kContainerKill:
      return ContainerKill(call);
    case RouteId::kContainerWait:
      return ContainerWait(call);
    case RouteId::kContainerRemove:
      return ContainerRemove(call);
    case RouteId::kContainerAttach:
      return ContainerAttach(call);
    case RouteId::kContainerResize:
      return ContainerResize(call);
    case RouteId::kContainerLogs:
      return ContainerLogs(call);
    case RouteId::kExecCreate:
      return ExecCreate(call);
    case RouteId::kExecStart:
      return ExecStart(call);
    case RouteId::kExecResize:
      return ExecResize(call);
    case RouteId::kExecInspect:
      return ExecInspect(call);
    case RouteId::kImageList:
      return ImageList(call);
    case RouteId::kImageInspect:
      return ImageInspect(call);
    case RouteId::kImageCreate:
      return ImageCreate(call);
    case RouteId::kImageRemove:
      return ImageRemove(call);
    case RouteId::kImageLoad:
      return ImageLoad(call);
    case RouteId::kImageTag:
      return ImageTag(call);
  }
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
