// Exec instances between `POST /containers/X/exec` (create) and
// `POST /exec/ID/start`, and after, for `GET /exec/ID/json`. The exec's id
// is its session's id in the container; once started, the container's
// status record tells how it runs and ended.
//
// Bounded: at most kMaxExecs are kept; the oldest go first (docker keeps
// them until the container goes; a health check every few seconds would
// otherwise grow this without end).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_API_EXEC_STORE_H_
#define TETHER_ATTACH_ENDPOINT_API_EXEC_STORE_H_

#include <cstddef>
#include <deque>
#include <map>
#include <string>

#include "attach/endpoint/commands/container_ops.h"
#include "base/result.h"

namespace attach {
namespace endpoint {
namespace api {

constexpr size_t kMaxExecs = 4096;

struct ExecEntry {
  std::string id;
  std::string container_id;
  ExecSpec spec;
  std::string detach_keys;  // Parsed; empty: the default.
  bool attach_stdout = true, attach_stderr = true;
  bool started = false;
};

class ExecStore {
 public:
  // A new instance with a fresh id. kInternal without randomness.
  base::Result<ExecEntry*> Add(const std::string& container_id, ExecSpec spec);
  // kNotFound "No such exec instance: ID" (dockerd's words).
  base::Result<ExecEntry*> Find(const std::string& id);
  // The container is gone: its instances go too.
  void ForgetContainer(const std::string& container_id);
  size_t size() const { return by_id_.size(); }

 private:
  std::map<std::string, ExecEntry> by_id_;
  std::deque<std::string> order_;  // The ids of by_id_, oldest first.
};

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_EXEC_STORE_H_
