// Where session logs send descriptors (and paths) to be fdatasync'd off
// the loop
// (containers/upkeep.h implements it).
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_SYNCER_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_SYNCER_H_

#include <string>

#include "base/unique_fd.h"

namespace attach {
namespace endpoint {

class LogSyncer {
 public:
  virtual ~LogSyncer() = default;
  // Takes `fd`, fdatasyncs it on a worker thread soon, then closes it.
  // Loop thread only.
  virtual void Submit(base::UniqueFd fd) = 0;
  // Opens `path` on a worker thread soon, fdatasyncs and closes it: a
  // log's current segment, which may be closed by then (LogFdCache), costs
  // no descriptor while it waits. A file gone by then needs nothing.
  virtual void SubmitPath(const std::string& path) = 0;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_LOG_SYNCER_H_
