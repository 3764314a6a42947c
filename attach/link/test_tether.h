// FakeTether: a LinkDelegate over real tether::OutputRings, recording what
// the link hands it. Loop thread only, like the tether.
#ifndef TETHER_ATTACH_LINK_TEST_TETHER_H_
#define TETHER_ATTACH_LINK_TEST_TETHER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attach/link/tether_link.h"
#include "tether/output_ring.h"

namespace attach {
namespace testing {

class FakeTether : public LinkDelegate {
 public:
  struct Session {
    std::unique_ptr<tether::OutputRing> rings[2];  // stdout, stderr.
    bool exited = false;
    int exit_code = 0;
    uint64_t acked[2] = {0, 0};
    std::string stdin_data;
    bool stdin_closed = false;
    // StdinRoom: this much more stdin (minus stdin_data) is taken.
    size_t stdin_limit = SIZE_MAX;
    bool released = false;  // OnSessionDone said so; not in Hello.
  };

  void Add(const std::string& id, size_t ring_capacity = 1 << 20);
  // Appends to a ring (stream 1 stdout, 2 stderr); the test then tells the
  // link with OutputAvailable, as the tether does.
  void Write(const std::string& id, int stream, const std::string& data);
  // Marks the session exited and returns the message for the link.
  tether::attach::SessionExited Exit(const std::string& id, int code);
  // Everything ever written to a stream (the test keeps a copy).
  const std::string& Written(const std::string& id, int stream) {
    return written_[{id, stream}];
  }

  tether::attach::Hello MakeHello() override;
  OutputChunk ReadOutput(const std::string& session,
                         tether::attach::StreamId stream, uint64_t offset,
                         size_t max_len) override;
  uint64_t OutputEnd(const std::string& session,
                     tether::attach::StreamId stream) override;
  void OnAcked(const std::string& session, tether::attach::StreamId stream,
               uint64_t offset) override;
  size_t StdinRoom(const std::string& session) override;
  void OnStdin(const std::string& session, std::string_view data) override;
  void OnStdinClosed(const std::string& session) override;
  void OnControl(const tether::attach::Envelope& msg) override;
  void OnConnected(bool connected) override;
  bool OnSessionDone(const std::string& session) override;

  std::map<std::string, Session> sessions;
  std::vector<tether::attach::Envelope> controls;
  // Runs after a control message was recorded (e.g. to Close the link
  // from inside the callback, as a tether may on Stop).
  std::function<void(const tether::attach::Envelope&)> on_control;
  std::vector<bool> connected_events;
  std::vector<std::string> done;   // OnSessionDone calls, in order.
  bool release_when_done = false;  // What OnSessionDone answers.

 private:
  std::map<std::pair<std::string, int>, std::string> written_;
};

}  // namespace testing
}  // namespace attach

#endif  // TETHER_ATTACH_LINK_TEST_TETHER_H_
