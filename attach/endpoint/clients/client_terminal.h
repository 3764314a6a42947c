// The terminal a tetherctl attach/exec hands attachd with its first request
// (SCM_RIGHTS; docs/protocol.md §6). The session's output is written to it
// as raw bytes and keystrokes are read from it, so a keystroke and its echo
// do not pass through tetherctl: one process and two wake-ups fewer each
// way, the hop count of ssh.
//
// The fd is the client's own open of its terminal (O_NONBLOCK set there,
// in a file description nobody else shares), so attachd never blocks on it
// and never changes the flags of the user's shell.
//
// Loop thread only. Writes go out at once when the terminal takes them;
// what it does not take is queued and counted by queued(), and reported
// through `written` as it drains.
#ifndef TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_TERMINAL_H_
#define TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_TERMINAL_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

class ClientTerminal {
 public:
  struct Callbacks {
    std::function<void(std::string_view)> input;  // Keystrokes.
    std::function<void()> input_end;              // EOF, or hung up.
    std::function<void()> written;                // Queued bytes went out.
    std::function<void(const std::string&)> failed;  // A write failed.
  };

  // Takes the file descriptor that arrived on `carrier` (an IPC pipe) with
  // the request just read. kInvalidArgument when none did, or when it is
  // not a terminal.
  static base::Result<std::unique_ptr<ClientTerminal>> Adopt(
      uv_pipe_t* carrier, Callbacks callbacks);

  ~ClientTerminal();
  ClientTerminal(const ClientTerminal&) = delete;
  ClientTerminal& operator=(const ClientTerminal&) = delete;

  // Writes now what the terminal takes and queues the rest. False after a
  // failure (`failed` has been called).
  bool Write(std::string_view data);
  size_t queued() const { return queued_; }

  void StartReading();
  void StopReading();
  // Closes the fd; nothing is called back after this. Safe inside any
  // callback of this terminal (the object itself stays valid).
  void Close();

 private:
  struct WriteReq;
  explicit ClientTerminal(Callbacks callbacks) : cb_(std::move(callbacks)) {}
  static void OnAlloc(uv_handle_t* h, size_t hint, uv_buf_t* buf) noexcept;
  static void OnRead(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) noexcept;
  static void OnWritten(uv_write_t* req, int status) noexcept;
  void Fail(const std::string& why);

  Callbacks cb_;
  base::UvHandle<uv_pipe_t> stream_;  // libuv's stream code over the tty.
  std::string read_buf_;
  size_t queued_ = 0;
  bool reading_ = false;
  bool input_over_ = false;
  bool failed_ = false;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CLIENTS_CLIENT_TERMINAL_H_
