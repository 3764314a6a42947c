// One client attached to one session (attach, exec, and start with attach):
// the session's live output from the moment of attaching (nothing is
// replayed; logs are for the past), the client's input toward the
// tether, resizes, and the session's end once every byte of its output
// has been handed to the client.
//
// The tether hears Attach{session} now or, when it is away, as soon as it
// says Hello (Container::ReplayAttachments), which also releases an
// attach_before_start session.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_ATTACHMENT_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_ATTACHMENT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "attach/detach_keys.h"
#include "attach/endpoint/commands/output_feed.h"
#include "attach/endpoint/commands/output_sink.h"
#include "attach/endpoint/containers/container.h"

namespace attach {
namespace endpoint {

// What an attached client hears besides its output.
class AttachClient : public OutputSink {
 public:
  // Stop / resume reading the client's input: the tether has not taken
  // what is queued toward it.
  virtual void PauseInput() = 0;
  virtual void ResumeInput() = 0;
  // The session ended and all of its output has been sent; `error` is set
  // when it never ran (the tether's message). Called at most once.
  virtual void OnEnded(int exit_code, const std::string& error) = 0;
  // The detach keys were typed: the session goes on without this client.
  virtual void OnDetached() = 0;
  // The container is going away (removed, or attachd stopping).
  virtual void OnGone(const std::string& why) = 0;
};

struct AttachOptions {
  bool stdin = false;  // Forward the client's input to the session.
  // Matched in the input here; empty: the client matches them itself, or
  // there are none.
  std::string detach_keys;
};

class Attachment : public SessionObserver {
 public:
  // Starts watching `session` of `container`. `client` must outlive the
  // attachment; the container and session may go first (OnGone).
  Attachment(AttachClient* client, Container* container, Session* session,
             AttachOptions options);
  ~Attachment() override;  // Detach().
  Attachment(const Attachment&) = delete;
  Attachment& operator=(const Attachment&) = delete;

  // Tells the tether a client is here, and how big its terminal is (0: no
  // size).
  void Announce(uint32_t rows, uint32_t cols);
  // Input from the client (dropped without `stdin`).
  void Input(std::string_view data);
  // The client's input ended: the session's stdin is closed.
  void CloseInput();
  void Resize(uint32_t rows, uint32_t cols);
  // The client's queue drained: more output may go.
  void Pump() { feed_.Pump(); }
  // Stops for good; the session goes on. Idempotent.
  void Detach();
  bool attached() const { return session_ != nullptr; }

  // SessionObserver:
  void OnOutput(const OutputEvent& event) override { feed_.OnOutput(event); }
  void OnSessionEnd(int exit_code, const std::string& error) override;
  void OnContainerGone(const std::string& why) override;
  void OnStdinReady() override;

 private:
  void Forward(std::string_view data);

  AttachClient* client_;
  Container* container_;
  Session* session_;
  AttachOptions options_;
  EscapeFilter filter_;
  OutputFeed feed_;
  bool ended_ = false;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_ATTACHMENT_H_
