// What the attach link needs from the tether: a snapshot for Hello, pull
// access to the output rings, and somewhere to deliver stdin and control
// messages (docs/protocol.md §5).
#ifndef TETHER_ATTACH_LINK_LINK_DELEGATE_H_
#define TETHER_ATTACH_LINK_LINK_DELEGATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "control.pb.h"

namespace attach {

// The Hello.version this tether speaks (control.proto).
constexpr uint32_t kProtocolVersion = 1;

// Like tether::OutputRing::Chunk: `gap` bytes before `offset` are gone.
struct OutputChunk {
  uint64_t gap = 0;
  uint64_t offset = 0;
  std::string data;
};

// Implemented by the tether; all calls on the loop thread. The link never
// calls back into itself from these: they may call any TetherLink method,
// including Close(), but must not destroy the link.
class LinkDelegate {
 public:
  virtual ~LinkDelegate() = default;
  // Snapshot of the sessions (ids, ends, exit info); the link fills in
  // version and container_id.
  virtual tether::attach::Hello MakeHello() = 0;
  // At most max_len bytes of a stream from `offset` (see OutputRing::Read).
  virtual OutputChunk ReadOutput(const std::string& session,
                                 tether::attach::StreamId stream,
                                 uint64_t offset, size_t max_len) = 0;
  virtual uint64_t OutputEnd(const std::string& session,
                             tether::attach::StreamId stream) = 0;
  // The endpoint persisted the stream up to `offset` (monotonic).
  virtual void OnAcked(const std::string& session,
                       tether::attach::StreamId stream, uint64_t offset) = 0;
  // How many stdin bytes the session takes now. The link reads no more
  // than that from its channel, and none at 0 (then libssh2 stops opening
  // the channel's window and the endpoint stops sending) until the tether
  // calls TetherLink::StdinReady. SIZE_MAX: no bound.
  virtual size_t StdinRoom(const std::string& session) {
    (void)session;
    return SIZE_MAX;
  }
  // At most StdinRoom(session) bytes.
  virtual void OnStdin(const std::string& session, std::string_view data) = 0;
  // Once per session: the endpoint sent EOF on its stream channel.
  virtual void OnStdinClosed(const std::string& session) = 0;
  // Attach, Resize, Signal, CloseStdin, Exec, Unblock, Stop (Welcome, Ack
  // and Ping are handled by the link).
  virtual void OnControl(const tether::attach::Envelope& msg) = 0;
  // True after Welcome; false when that connection is lost.
  virtual void OnConnected(bool connected) { (void)connected; }
  // The endpoint has the session's exit and acknowledged all its output:
  // the link has nothing more to do for it. Return true when the tether
  // forgot the session (it will not name it again, e.g. in Hello or
  // OutputAvailable): the link then forgets it too.
  virtual bool OnSessionDone(const std::string& session) {
    (void)session;
    return false;
  }
};

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_LINK_DELEGATE_H_
