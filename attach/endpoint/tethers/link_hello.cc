// A tether's Hello and attachd's Welcome (docs/protocol.md §5): the
// sessions checked against what the container may have, their logs loaded
// (recovery scans run off the loop: a log that must be read back after a
// restart never stalls other tethers; review F9), the Hello recorded, and
// the Welcome sent with what each log holds.
#include "attach/endpoint/containers/clock.h"
#include "attach/endpoint/tethers/tether_link.h"
#include "base/log.h"
#include "guestinfo/field_syntax.h"

namespace attach {
namespace endpoint {
namespace {

namespace pb = ::tether::attach;

constexpr uint32_t kWelcomeVersion = 1;

}  // namespace

void TetherLink::OnHello(const pb::Hello& hello) {
  if (hello_done_ || hello_pending_) {
    Fail(base::Status::InvalidArgument("control: second Hello"));
    return;
  }
  if (hello.version() < 1) {
    Fail(
        base::Status::InvalidArgument("control: unsupported protocol version " +
                                      std::to_string(hello.version())));
    return;
  }
  if (hello.container_id() != conn_->user()) {
    Fail(base::Status::PermissionDenied("control: Hello for container \"" +
                                        Printable(hello.container_id()) +
                                        "\" on a login as " + conn_->user()));
    return;
  }
  Container* c = registry_->FindById(conn_->user());
  if (c == nullptr) {
    Fail(base::Status::NotFound("container " + conn_->user() + " is gone"));
    return;
  }
  base::Status checked = c->CheckHello(hello);
  if (!checked.ok()) return Fail(std::move(checked));
  // Every session's log must be loaded before the Welcome: one left out
  // would make the tether resend it from offset 0, duplicating bytes in
  // the log and putting its offsets past the tether's.
  std::vector<std::string> ids;
  for (const pb::SessionInfo& info : hello.sessions()) {
    base::Status s = guestinfo::CheckSessionId(info.id());
    if (!s.ok()) {
      return Fail(s.Annotate("control: Hello: session \"" +
                             Printable(info.id()) + "\""));
    }
    if (c->FindSession(info.id()) == nullptr) ids.push_back(info.id());
  }
  hello_ = std::make_unique<pb::Hello>(hello);
  hello_pending_ = true;
  ContainerHost* host = c->host();
  if (ids.empty() || host == nullptr) {
    FinishHello();
    return;
  }
  std::vector<std::string> paths;
  for (const std::string& id : ids) paths.push_back(c->LogPath(id));
  auto scans = std::make_shared<std::vector<base::Result<LogScan>>>();
  std::shared_ptr<bool> alive = alive_;
  host->Offload(
      [paths, scans] {
        for (const std::string& path : paths) {
          scans->push_back(ScanLog(path));
        }
      },
      [this, alive, ids, scans] {
        if (*alive) OnHelloScanned(ids, *scans);
      });
}

void TetherLink::OnHelloScanned(
    const std::vector<std::string>& ids,
    const std::vector<base::Result<LogScan>>& scans) {
  if (conn_ == nullptr || conn_->closed()) return;
  Container* c = registry_->FindById(conn_->user());
  if (c == nullptr) {
    Fail(base::Status::NotFound("container " + conn_->user() + " is gone"));
    return;
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    base::Result<Session*> s = c->AdoptSession(ids[i], scans[i]);
    if (!s.ok()) {
      // An open that fails now (EMFILE, EIO) may work when it redials.
      return Fail(s.TakeStatus().Annotate("control: Hello: session \"" +
                                          Printable(ids[i]) + "\""));
    }
  }
  FinishHello();
}

void TetherLink::FinishHello() {
  Container* c = registry_->FindById(conn_->user());
  if (c == nullptr) {
    Fail(base::Status::NotFound("container " + conn_->user() + " is gone"));
    return;
  }
  // Loaded above, unless forgotten meanwhile: then loaded here.
  for (const pb::SessionInfo& info : hello_->sessions()) {
    base::Result<Session*> s = c->GetSession(info.id());
    if (!s.ok()) {
      return Fail(s.TakeStatus().Annotate("control: Hello: session \"" +
                                          Printable(info.id()) + "\""));
    }
  }
  // The older connection goes first, so its last bytes are in the log
  // before the offsets below are read.
  if (c->link() != nullptr && c->link() != this) {
    c->link()->Disconnect("replaced by a new connection from " + peer_);
  }
  container_ = c;
  c->set_link(this);
  bool ended = c->ApplyHello(*hello_);
  hello_done_ = true;
  if (!ended) return SendWelcome();
  // A Welcome answering a Hello that reported an end delivers that end:
  // it must be on disk first.
  std::shared_ptr<bool> alive = alive_;
  c->FlushStatus([this, alive] {
    if (*alive) SendWelcome();
  });
}

void TetherLink::SendWelcome() {
  if (container_ == nullptr || hello_ == nullptr) return;
  pb::Envelope welcome;
  welcome.mutable_welcome()->set_version(kWelcomeVersion);
  for (const pb::SessionInfo& info : hello_->sessions()) {
    Session* s = container_->FindSession(info.id());
    if (s == nullptr) continue;  // Forgotten meanwhile: it ended.
    pb::StreamOffsets* o = welcome.mutable_welcome()->add_offsets();
    o->set_session_id(info.id());
    o->set_stdout(s->log().ends().out);
    o->set_stderr(s->log().ends().err);
  }
  hello_.reset();
  hello_pending_ = false;
  (void)SendControl(welcome);
  LOG_INFO("container %s: tether connected from %s (%s)",
           container_->id().substr(0, 12).c_str(), peer_.c_str(),
           conn_->algorithms().c_str());
  container_->ReplayAttachments();
  ProcessControl();  // Whatever came after the Hello.
}

}  // namespace endpoint
}  // namespace attach
