#include "attach/endpoint/commands/start_command.h"

#include <string>

#include "attach/endpoint/commands/commands.h"
#include "attach/endpoint/commands/stream_command.h"
#include "attach/endpoint/vms/qemu_command.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

// start without attach: `done` when the tether says Hello.
class StartWaitHandler : public ClientConn::Handler, public SessionObserver {
 public:
  StartWaitHandler(uv_loop_t* loop, ClientConn* conn, Container* c,
                   Session* primary, uint64_t timeout_ms)
      : conn_(conn), primary_(primary), console_(VmConsolePath(c->dir())) {
    primary_->AddObserver(this);
    uv_timer_init(loop, timer_.get());
    timer_.MarkInitialized();
    timer_->data = this;
    uv_timer_start(timer_.get(), &StartWaitHandler::OnTimeout, timeout_ms, 0);
  }
  ~StartWaitHandler() override { Stop(); }

  void OnRequest(const pb::Request&) override {}
  void OnOutput(const OutputEvent&) override {}
  void OnTetherHello() override {
    Stop();
    SendDone(conn_);
  }
  void OnSessionEnd(int exit_code, const std::string& error) override {
    Stop();
    conn_->FailWith(!error.empty()
                        ? error
                        : "the container exited with code " +
                              std::to_string(exit_code) +
                              " before its tether connected");
  }
  void OnContainerGone(const std::string& why) override {
    Stop();
    conn_->FailWith(why);
  }

 private:
  static void OnTimeout(uv_timer_t* h) noexcept {
    auto* self = static_cast<StartWaitHandler*>(h->data);
    self->Stop();
    self->conn_->FailWith(
        "the VM is running but its tether has not connected yet; see " +
        self->console_);
  }
  void Stop() {
    timer_.Close();
    if (primary_ != nullptr) primary_->RemoveObserver(this);
    primary_ = nullptr;
  }

  ClientConn* conn_;
  Session* primary_;
  std::string console_;
  base::UvHandle<uv_timer_t> timer_;
};

}  // namespace

void StartContainer(uv_loop_t* loop, ClientConn* conn, Container* c,
                    VmLauncher* vms, const pb::StartRequest& req,
                    uint64_t timeout_ms) {
  if (vms == nullptr) {
    conn->FailWith("this attachd does not run container VMs");
    return;
  }
  base::Result<Session*> primary = c->GetSession(kPrimarySession);
  if (!primary.ok()) {
    conn->FailWith(primary.status().message());
    return;
  }
  // QEMU starts here, but nothing it says can be read before this
  // function returns to the loop: an attach set up below misses nothing.
  base::Result<bool> booted = vms->Start(c);
  if (!booted.ok()) {
    conn->FailWith(booted.status().message());
    return;
  }
  if (req.has_attach()) {
    pb::AttachRequest attach = req.attach();
    attach.mutable_container()->set_ref(c->id());
    StartAttach(conn, c, attach);
    return;
  }
  if (!*booted && c->link() != nullptr) {
    SendDone(conn);
    return;
  }
  conn->SetHandler(std::make_unique<StartWaitHandler>(loop, conn, c, *primary,
                                                      timeout_ms));
}

}  // namespace endpoint
}  // namespace attach
