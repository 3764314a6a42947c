#include "attach/link/preamble.h"

#include <errno.h>

#include <utility>

#include "attach/link/transport.h"

namespace attach {

SyncResponder::SyncResponder(uv_loop_t* loop, int fd, bool is_socket)
    : loop_(loop), fd_(fd), is_socket_(is_socket) {}

SyncResponder::~SyncResponder() = default;

base::Status SyncResponder::Start(Callback done) {
  done_ = std::move(done);
  int rc = uv_poll_init(loop_, poll_.get(), fd_);
  if (rc != 0) return base::UvError("sync preamble: uv_poll_init", rc);
  poll_.MarkInitialized();
  poll_->data = this;
  rc = uv_poll_start(poll_.get(), UV_READABLE, &SyncResponder::OnPoll);
  if (rc != 0) return base::UvError("sync preamble: uv_poll_start", rc);
  return base::Status::Ok();
}

void SyncResponder::OnPoll(uv_poll_t* handle, int status, int) noexcept {
  auto* self = static_cast<SyncResponder*>(handle->data);
  if (status < 0) {
    self->Finish(base::UvError("sync preamble: poll", status));
  } else if (self->echo_.empty()) {
    self->OnReadable();
  } else {
    self->WriteEcho();
  }
}

void SyncResponder::OnReadable() {
  // Sync lines are short. Whatever precedes one (stale bytes of an old
  // session on a serial port) SyncScanner discards, up to its 64 KiB limit.
  char buf[4096];
  for (;;) {
    ssize_t n = TransportRead(fd_, buf, sizeof(buf));
    if (n == -EAGAIN) return;
    if (n == 0) {
      return Finish(base::Status::Unavailable(
          "endpoint closed the connection during the sync preamble"));
    }
    if (n < 0) return Finish(base::Status::Io("sync preamble: read", -n));
    auto found = scanner_.Feed(std::string_view(buf, static_cast<size_t>(n)));
    if (!found.ok()) return Finish(found.TakeStatus());
    if (found->has_value()) {
      echo_ = std::move((*found)->line);
      rest_ = std::move((*found)->rest);
      // Whatever follows in the socket belongs to libssh2: stop reading.
      return WriteEcho();
    }
  }
}

void SyncResponder::WriteEcho() {
  // 29 bytes rarely meet a full buffer, but a serial port can be slow:
  // partial writes resume on writability.
  while (echo_sent_ < echo_.size()) {
    ssize_t n = TransportWrite(fd_, is_socket_, echo_.data() + echo_sent_,
                               echo_.size() - echo_sent_);
    if (n == -EAGAIN) {
      int rc = uv_poll_start(poll_.get(), UV_WRITABLE, &SyncResponder::OnPoll);
      if (rc != 0) Finish(base::UvError("sync preamble: uv_poll_start", rc));
      return;
    }
    if (n < 0) return Finish(base::Status::Io("sync preamble: write", -n));
    echo_sent_ += static_cast<size_t>(n);
  }
  Finish(std::move(rest_));
}

void SyncResponder::Finish(base::Result<std::string> result) {
  poll_.Close();  // The SSH client puts its own poll on this fd next.
  Callback done = std::move(done_);
  if (done) done(std::move(result));  // May destroy *this.
}

base::Status PreBannerFilter::Feed(std::string_view data, std::string* out) {
  // Only line starts matter: line_ holds the start of the current line
  // while it still matches "SSH-"; any other line is skipped to its end.
  static constexpr std::string_view kVersion = "SSH-";
  size_t i = 0;
  while (!done_ && i < data.size()) {
    if (++scanned_ > kSyncMaxScan) {
      return base::Status::InvalidArgument(
          "ssh: no SSH version line from the endpoint in " +
          std::to_string(kSyncMaxScan) + " bytes");
    }
    char c = data[i++];
    if (skipping_) {
      skipping_ = c != '\n';
      continue;
    }
    line_.push_back(c);
    if (kVersion.compare(0, line_.size(), line_) != 0) {
      // Not the version line: drop it through its '\n'.
      skipping_ = c != '\n';
      line_.clear();
    } else if (line_.size() == kVersion.size()) {
      done_ = true;
      out->append(line_);
      line_.clear();
    }
  }
  out->append(data.substr(i));
  return base::Status::Ok();
}

}  // namespace attach
