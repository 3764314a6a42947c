// TetherLink::Connection: what lives for one connection attempt. Private
// to tether_link.cc and link_streams.cc, the two halves of TetherLink.
#ifndef TETHER_ATTACH_LINK_LINK_CONNECTION_H_
#define TETHER_ATTACH_LINK_LINK_CONNECTION_H_

#include <memory>
#include <vector>

#include "attach/frame.h"
#include "attach/link/preamble.h"
#include "attach/link/ssh_channel.h"
#include "attach/link/ssh_client.h"
#include "attach/link/tether_link.h"
#include "attach/link/transport.h"
#include "base/unique_fd.h"

namespace attach {

// Reads from channels go through a buffer this size on the stack.
inline constexpr size_t kLinkReadBuffer = 64 * 1024;
// Stream index i (0 stdout, 1 stderr) as the protocol names it.
inline constexpr tether::attach::StreamId kLinkStreams[2] = {
    tether::attach::STREAM_STDOUT, tether::attach::STREAM_STDERR};

// Torn down in reverse order of declaration: channels before the session
// that owns them, the session before the fd it reads.
struct TetherLink::Connection {
  base::UniqueFd socket;  // tcp and vsock; a serial fd is serial_fd_.
  int fd = -1;
  bool is_socket = false;
  std::unique_ptr<Dialer> dialer;
  std::unique_ptr<SyncResponder> sync;
  std::unique_ptr<SshClient> ssh;
  std::unique_ptr<SshChannel> control;
  FrameReader frames;
  // Stream channels of finished sessions, waiting for the endpoint's close.
  std::vector<std::unique_ptr<SshChannel>> closing;

  ~Connection() {
    // From here on libssh2 sees a dead socket and frees without waiting.
    if (ssh) ssh->Abort();
    closing.clear();
    control.reset();
  }
};

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_LINK_CONNECTION_H_
