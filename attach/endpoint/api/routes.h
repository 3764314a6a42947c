// The Docker API's route handlers, one function per route (router.h names
// them). Each answers through call.ex now, or hands the request to an Op
// that answers later.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_API_ROUTES_H_
#define TETHER_ATTACH_ENDPOINT_API_ROUTES_H_

#include "attach/endpoint/api/call.h"
#include "attach/endpoint/api/router.h"

namespace attach {
namespace endpoint {
namespace api {

// Runs the handler of `id`.
void Dispatch(RouteId id, Call& call);

// system_routes.cc
void Ping(Call& call);
void Version(Call& call);
void Info(Call& call);

// container_routes.cc
void ContainerList(Call& call);
void ContainerCreate(Call& call);
void ContainerInspect(Call& call);
void ContainerKill(Call& call);
void ContainerRemove(Call& call);
void ContainerResize(Call& call);

// lifecycle_routes.cc
void ContainerStart(Call& call);
void ContainerStop(Call& call);
void ContainerRestart(Call& call);
void ContainerWait(Call& call);

// stream_routes.cc
void ContainerAttach(Call& call);
void ContainerLogs(Call& call);

// exec_routes.cc
void ExecCreate(Call& call);
void ExecStart(Call& call);
void ExecResize(Call& call);
void ExecInspect(Call& call);

// image_routes.cc
void ImageList(Call& call);
void ImageInspect(Call& call);
void ImageCreate(Call& call);
void ImageRemove(Call& call);
void ImageLoad(Call& call);
void ImageTag(Call& call);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_ROUTES_H_
