// What a Container asks of the daemon around it (containers/upkeep.h):
// writing its status soon rather than at once, work off the loop, and the
// log limits. Containers without a host (unit tests, fuzzing) do it all
// at once, on the calling thread.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_HOST_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_HOST_H_

#include <functional>
#include <string>

#include "attach/endpoint/containers/session_log.h"

namespace attach {
namespace endpoint {

class Container;

class ContainerHost {
 public:
  virtual ~ContainerHost() = default;
  virtual const LogOptions& log_options() const = 0;
  // The container's status changed: it is written soon (bursts of
  // changes make one write).
  virtual void StatusChanged(Container* c) = 0;
  // Runs `done` once what the container's status says now is on disk.
  // `done` must check that whatever it captured still exists.
  virtual void FlushStatus(Container* c, std::function<void()> done) = 0;
  // The container is being removed: nothing more is written for it.
  virtual void Forget(Container* c) = 0;
  // Runs `work` on a worker thread, then `after` on the loop; `after`
  // never runs once the host is gone.
  virtual void Offload(std::function<void()> work,
                       std::function<void()> after) = 0;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_CONTAINER_HOST_H_
