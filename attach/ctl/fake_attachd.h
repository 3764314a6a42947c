// FakeAttachd: a stand-in for attachd's client socket in tetherctl's tests.
//
// It listens on a real UNIX socket, <state_dir>/attachd.sock in a fresh
// temporary directory, and speaks client.proto with the real framing; only
// the replies are scripted. Connections are served one at a time, in
// order, on a server thread, each by the test's handler. Test-only: a
// failed system call aborts the test binary with a message.
#ifndef TETHER_ATTACH_CTL_FAKE_ATTACHD_H_
#define TETHER_ATTACH_CTL_FAKE_ATTACHD_H_

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "attach/frame.h"
#include "base/unique_fd.h"
#include "client.pb.h"

namespace attach {
namespace ctl {

class FakeAttachd;

// One accepted client connection, on the server thread.
class FakeConn {
 public:
  FakeConn(base::UniqueFd fd, FakeAttachd* owner)
      : fd_(std::move(fd)), owner_(owner) {}
  // The next Request, or nullopt when the client closed or broke framing.
  std::optional<tether::attach::Request> Read();
  // Sends a Response; errors (the client left) are ignored.
  void Send(const tether::attach::Response& resp);
  // The StdinData bytes that arrive up to StdinClose (or the client's end).
  std::string ReadStdinToClose();

 private:
  base::UniqueFd fd_;
  FakeAttachd* owner_;
  FrameReader reader_;
};

class FakeAttachd {
 public:
  using Handler = std::function<void(FakeConn& conn)>;

  explicit FakeAttachd(Handler handler);
  ~FakeAttachd();  // Stops accepting, joins, removes the directory.
  FakeAttachd(const FakeAttachd&) = delete;
  FakeAttachd& operator=(const FakeAttachd&) = delete;

  const std::string& state_dir() const { return dir_; }
  // Every Request the handler read, in order, across connections. Call it
  // once the client has finished: it first waits until every connection
  // the client made has been served, so none of its requests is missed.
  std::vector<tether::attach::Request> requests();
  // Called by FakeConn::Read.
  void Record(const tether::attach::Request& req);

 private:
  void Serve();
  bool IdleLocked();

  Handler handler_;
  std::string dir_;
  base::UniqueFd listen_fd_;
  base::UniqueFd wake_read_;
  base::UniqueFd wake_write_;
  std::mutex mu_;
  std::vector<tether::attach::Request> requests_;
  bool busy_ = false;  // A handler is running.
  std::thread thread_;
};

// Response builders for handlers.
tether::attach::Response OutputResponse(tether::attach::StreamId stream,
                                        const std::string& data,
                                        int64_t time_ns = 0);
tether::attach::Response ExitCodeResponse(int code);
tether::attach::Response ErrorResponse(const std::string& msg);
tether::attach::Response DoneResponse();

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_FAKE_ATTACHD_H_
