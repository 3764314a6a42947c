// attachd's end of the pprof tunnel (docs/protocol.md §7): the requests a
// container's tether has yet to answer, by the id attachd gave each
// (clients/pprof_command.h sends them).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_PPROF_CALLS_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_PPROF_CALLS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "client.pb.h"
#include "control.pb.h"

namespace attach {
namespace endpoint {

// The calls of one container in flight, by id. Owned by the Container:
// when it goes (or its tether disconnects) every call fails.
class PprofCalls {
 public:
  // Gets each piece of the answer; the last has `last` set.
  using Piece = std::function<void(const ::tether::attach::PprofResponse&)>;
  // The call is over without an answer; `why` is for the user.
  using Failed = std::function<void(const std::string& why)>;

  PprofCalls() = default;
  ~PprofCalls();  // FailAll("the container was removed").
  PprofCalls(const PprofCalls&) = delete;
  PprofCalls& operator=(const PprofCalls&) = delete;

  // Registers a call; returns its id (never 0).
  uint64_t Add(Piece piece, Failed failed);
  // Forgets a call without telling it.
  void Cancel(uint64_t id);
  // Routes a piece from the tether; unknown ids (cancelled) are dropped.
  void OnResponse(const ::tether::attach::PprofResponse& piece);
  void FailAll(const std::string& why);

 private:
  struct Call {
    Piece piece;
    Failed failed;
  };
  std::map<uint64_t, Call> calls_;
  uint64_t next_id_ = 1;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_PPROF_CALLS_H_
