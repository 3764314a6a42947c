#include "attach/endpoint/commands/attachment.h"

#include <utility>

#include "attach/endpoint/commands/container_ops.h"

namespace attach {
namespace endpoint {

namespace pb = ::tether::attach;

Attachment::Attachment(AttachClient* client, Container* container,
                       Session* session, AttachOptions options)
    : client_(client),
      container_(container),
      session_(session),
      options_(std::move(options)),
      filter_(options_.detach_keys),
      // Nothing is replayed: the feed starts at the end of the log.
      feed_(client, session, LogPos{session->log().size(), 0}, {}) {
  session_->AddObserver(this);
  ++session_->attached;
  feed_.Pump();
}

Attachment::~Attachment() { Detach(); }

void Attachment::Announce(uint32_t rows, uint32_t cols) {
  if (session_ == nullptr) return;
  pb::Envelope attach;
  attach.mutable_attach()->set_session_id(session_->id());
  // Unavailable is fine: ReplayAttachments sends it on Hello.
  (void)container_->SendControl(attach);
  Resize(rows, cols);
}

void Attachment::Input(std::string_view data) {
  if (session_ == nullptr || data.empty()) return;
  if (options_.detach_keys.empty()) return Forward(data);
  std::string forward;
  bool detached = filter_.Feed(data, &forward);
  Forward(forward);
  if (!detached) return;
  // The session goes on; the client is told once its output is out.
  Detach();
  client_->OnDetached();
}

void Attachment::CloseInput() {
  if (session_ == nullptr || !options_.stdin) return;
  if (!options_.detach_keys.empty()) Forward(filter_.TakeHeld());
  session_->CloseStdin();
}

void Attachment::Resize(uint32_t rows, uint32_t cols) {
  if (session_ != nullptr) ResizeSession(container_, session_, rows, cols);
}

void Attachment::Detach() {
  feed_.Stop();
  if (session_ == nullptr) return;
  session_->RemoveObserver(this);
  --session_->attached;
  session_ = nullptr;
}

void Attachment::OnSessionEnd(int exit_code, const std::string& error) {
  if (session_ == nullptr || ended_) return;
  ended_ = true;
  // The end goes after every byte of output, however late. Still
  // observing: the feed may read the log until then.
  AttachClient* client = client_;
  feed_.End([client, exit_code, error] { client->OnEnded(exit_code, error); });
}

void Attachment::OnContainerGone(const std::string& why) {
  Detach();
  client_->OnGone(why);
}

void Attachment::OnStdinReady() {
  if (session_ != nullptr) client_->ResumeInput();
}

void Attachment::Forward(std::string_view data) {
  if (!options_.stdin || data.empty() || session_ == nullptr) return;
  session_->WriteStdin(data);
  // Stop reading the client until the tether takes what is queued.
  if (session_->stdin_full()) client_->PauseInput();
}

}  // namespace endpoint
}  // namespace attach
