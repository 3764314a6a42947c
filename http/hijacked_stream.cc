#include "http/hijacked_stream.h"

#include <uv.h>

namespace http {

HijackedStream::HijackedStream(
    std::shared_ptr<Transport> transport, std::string preread, bool eof,
    LinkOwner* owner, AccessRecord record, uint64_t start_ns,
    std::function<void(const AccessRecord&)> access_log)
    : transport_(std::move(transport)),
      owner_(owner),
      record_(std::move(record)),
      start_ns_(start_ns),
      access_log_(std::move(access_log)),
      pending_(std::move(preread)),
      eof_(eof) {
  record_.hijacked = true;
  if (transport_) {
    transport_->SetDelegate(this);
    // Nothing is read before Start(): the handler may not be ready.
    transport_->PauseReading();
  }
}

HijackedStream::~HijackedStream() {
  if (transport_) transport_->Close();
}

void HijackedStream::Start(Callbacks callbacks) {
  if (started_) return;
  std::shared_ptr<HijackedStream> self = shared_from_this();
  started_ = true;
  cb_ = std::move(callbacks);
  if (!transport_) {
    auto on_close = std::move(cb_.on_close);
    cb_ = Callbacks();
    if (on_close) on_close(base::Status::Unavailable("connection closed"));
    return;
  }
  if (!paused_) transport_->ResumeReading();
  Deliver();
}

// Hands buffered input, then a buffered EOF, to the handler while it
// wants them. Re-entrant calls (a handler pausing or resuming inside
// on_data) only let the outer loop see the new state.
void HijackedStream::Deliver() {
  if (delivering_) return;
  delivering_ = true;
  std::shared_ptr<HijackedStream> self = shared_from_this();
  while (started_ && !paused_ && transport_) {
    if (!pending_.empty()) {
      std::string data = std::move(pending_);
      pending_.clear();
      if (cb_.on_data) cb_.on_data(data);
      continue;
    }
    if (eof_ && !eof_delivered_) {
      eof_delivered_ = true;
      if (cb_.on_read_eof) cb_.on_read_eof();
      continue;
    }
    break;
  }
  delivering_ = false;
}

void HijackedStream::Write(std::string data) {
  if (!transport_ || data.empty()) return;
  record_.bytes_sent += data.size();
  transport_->Write(std::move(data));
  if (transport_ && transport_->queued() > low_mark_) above_mark_ = true;
}

size_t HijackedStream::queued() const {
  return transport_ ? transport_->queued() : 0;
}

void HijackedStream::OnDrain(size_t low_mark, std::function<void()> on_drain) {
  low_mark_ = low_mark;
  on_drain_ = std::move(on_drain);
  above_mark_ = queued() > low_mark_;
}

void HijackedStream::PauseReading() {
  paused_ = true;
  if (transport_) transport_->PauseReading();
}

void HijackedStream::ResumeReading() {
  paused_ = false;
  if (transport_ && started_) transport_->ResumeReading();
  Deliver();
}

void HijackedStream::Close() {
  if (!transport_) return;
  std::shared_ptr<HijackedStream> self = shared_from_this();
  cb_ = Callbacks();
  on_drain_ = nullptr;
  transport_->Shutdown();  // OnTransportClosed(OK) follows.
}

void HijackedStream::OnTransportData(const char* data, size_t len) {
  pending_.append(data, len);
  Deliver();
}

void HijackedStream::OnTransportEof() {
  eof_ = true;
  Deliver();
}

void HijackedStream::OnTransportWritten() {
  if (!above_mark_ || queued() > low_mark_) return;
  above_mark_ = false;
  if (on_drain_) {
    std::shared_ptr<HijackedStream> self = shared_from_this();
    on_drain_();
  }
}

void HijackedStream::OnTransportClosed(const base::Status& why) {
  Finish(why, true);
}

void HijackedStream::Abort() {
  Finish(base::Status::Unavailable("server closing"), true);
}

void HijackedStream::Finish(const base::Status& why, bool tell) {
  if (!transport_) return;
  std::shared_ptr<HijackedStream> self = shared_from_this();
  std::shared_ptr<Transport> transport = std::move(transport_);
  transport_ = nullptr;
  transport->Close();
  record_.duration_us = (uv_hrtime() - start_ns_) / 1000;
  if (access_log_) access_log_(record_);
  auto on_close = std::move(cb_.on_close);
  cb_ = Callbacks();
  on_drain_ = nullptr;
  if (owner_ != nullptr) owner_->Remove(this);
  if (tell && on_close) {
    on_close(why.ok() ? base::Status::Unavailable("connection closed") : why);
  }
}

}  // namespace http
