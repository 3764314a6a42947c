// Where one client's view of a session's output goes. Each transport
// implements it: tetherctl's socket (clients/) and the Docker API's
// streams (api/). The commands write through it and never see the wire.
//
// A sink has a bounded queue: output is taken whole or not at all, and a
// feed that is refused goes back to reading the session's log, so a slow
// client gets everything late rather than being dropped for it.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_OUTPUT_SINK_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_OUTPUT_SINK_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "attach/endpoint/containers/session.h"

namespace attach {
namespace endpoint {

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  // False once the client is gone or finishing: nothing more is taken.
  virtual bool open() const = 0;
  // The client has written out most of its queue: a feed may read more of
  // the log for it.
  virtual bool below_low_mark() const = 0;
  // Queues `data` of `stream`, received at `time_ns`, whole; or queues
  // nothing and returns false when it does not fit under the bound now.
  virtual bool SendOutput(uint8_t stream, std::string_view data,
                          int64_t time_ns) = 0;
  // The same for live output. Every client of the session sees the same
  // event, so a sink may share one encoding of it (OutputEvent::Shared).
  virtual bool SendLive(const OutputEvent& event) {
    return SendOutput(event.stream, event.data, event.time_ns);
  }
  // The session's log could not be read: the command cannot go on.
  virtual void Fail(const std::string& why) = 0;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_OUTPUT_SINK_H_
