// The tether's half of the sync preamble (docs/protocol.md §2) on a
// connected transport fd, and the filter that lines up the endpoint's SSH
// version line for libssh2 afterwards.
#ifndef TETHER_ATTACH_LINK_PREAMBLE_H_
#define TETHER_ATTACH_LINK_PREAMBLE_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "attach/sync_preamble.h"
#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {

// Reads until a valid "TETHER-SYNC <nonce>" line, writes that line back
// once, and hands over the bytes that followed it (the start of SSH).
class SyncResponder {
 public:
  // The bytes read after the sync line, or why the preamble failed:
  // kInvalidArgument from SyncScanner (no line in 64 KiB), kUnavailable
  // "endpoint closed the connection during the sync preamble", or the
  // errno of a failed read/write.
  using Callback = std::function<void(base::Result<std::string>)>;

  // `fd` is borrowed and must stay open while the responder lives; the
  // loop must outlive it. Loop thread only.
  SyncResponder(uv_loop_t* loop, int fd, bool is_socket);
  ~SyncResponder();  // Stops watching; the callback never runs after it.
  SyncResponder(const SyncResponder&) = delete;
  SyncResponder& operator=(const SyncResponder&) = delete;

  // Starts watching the fd. `done` runs once, later, on the loop; it may
  // destroy the responder. Errors here are libuv's (uv_poll_init).
  base::Status Start(Callback done);

 private:
  static void OnPoll(uv_poll_t* handle, int status, int events) noexcept;
  void OnReadable();
  void WriteEcho();
  void Finish(base::Result<std::string> result);

  uv_loop_t* loop_;
  int fd_;
  bool is_socket_;
  base::UvHandle<uv_poll_t> poll_;
  SyncScanner scanner_;
  std::string echo_;  // The line to write back; empty before found.
  size_t echo_sent_ = 0;
  std::string rest_;  // Bytes after the line.
  Callback done_;
};

// RFC 4253 §4.2 lets a server send other lines before its "SSH-" version
// line, but libssh2 1.10 takes the first line it reads as the version. The
// endpoint repeats TETHER-SYNC every 200 ms until it sees our echo, so
// such lines can still arrive after it: this drops whole lines until one
// starts with "SSH-" and then passes everything through.
class PreBannerFilter {
 public:
  // Appends to `out` whatever of `data` belongs to SSH. kInvalidArgument
  // when more than kSyncMaxScan bytes came without an "SSH-" line.
  base::Status Feed(std::string_view data, std::string* out);
  bool done() const { return done_; }

 private:
  std::string line_;       // Start of the current line while it may be "SSH-".
  bool skipping_ = false;  // In a line that is not the version line.
  bool done_ = false;
  size_t scanned_ = 0;
};

}  // namespace attach

#endif  // TETHER_ATTACH_LINK_PREAMBLE_H_
