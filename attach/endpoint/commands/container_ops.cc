#include "attach/endpoint/commands/container_ops.h"

#include <csignal>
#include <utility>

#include "attach/endpoint/containers/tether_config.h"
#include "base/log.h"
#include "control.pb.h"

namespace attach {
namespace endpoint {

namespace pb = ::tether::attach;

base::Result<Container*> ContainerOps::Find(const std::string& ref) const {
  // docker prints names with a leading '/', and accepts them back so.
  if (ref.size() > 1 && ref[0] == '/')
    return ctx_.registry->Find(ref.substr(1));
  return ctx_.registry->Find(ref);
}

base::Result<Container*> ContainerOps::Create(ContainerRecord record) {
  if (record.endpoint.empty()) record.endpoint = ctx_.default_endpoint;
  if (!record.image.empty()) {
    if (ctx_.images == nullptr) {
      return base::Status::NotFound("No such image: " + record.image);
    }
    TETHER_ASSIGN_OR_RETURN(const Image* image,
                            ctx_.images->Find(record.image));
    record.image = image->id;
  }
  for (const PortMapping& m : record.ports) {
    TETHER_RETURN_IF_ERROR(CheckPortMapping(m));
  }
  // docker's CLI sends "default" for no --network.
  if (record.network == "default") record.network.clear();
  if (!record.network.empty() && record.network != "bridge" &&
      record.network != "none") {
    return base::Status::NotFound("network " + record.network +
                                  " not found (container VMs have bridge "
                                  "and none)");
  }
  if (record.network == "none" && !record.ports.empty()) {
    return base::Status::InvalidArgument(
        "conflicting options: port publishing and the container type network "
        "mode");
  }
  TETHER_ASSIGN_OR_RETURN(Container * c,
                          ctx_.registry->Create(std::move(record)));
  base::Result<std::string> config = TetherConfig(*c);
  base::Status disk = config.status();
  if (disk.ok() && ctx_.vms != nullptr) disk = ctx_.vms->PrepareRootDisk(*c);
  if (!disk.ok()) {
    (void)ctx_.registry->Remove(c);
    return disk;
  }
  LOG_INFO("container %s created (%s)", c->id().substr(0, 12).c_str(),
           c->record().name.c_str());
  return c;
}

base::Status ContainerOps::ApplyImage(const std::string& ref, RunSpec spec,
                                      bool publish_all,
                                      ContainerRecord* record) const {
  if (ctx_.images == nullptr) {
    return base::Status::NotFound("No such image: " + ref);
  }
  TETHER_ASSIGN_OR_RETURN(const Image* image, ctx_.images->Find(ref));
  TETHER_ASSIGN_OR_RETURN(record->args, MergeImageConfig(image->config, &spec));
  record->image = image->id;
  record->env = spec.env;
  record->user = spec.user;
  record->workdir = spec.workdir;
  if (publish_all) PublishExposed(spec.exposed_ports, &record->ports);
  return base::Status::Ok();
}

std::vector<ImageUser> ContainerOps::ImageUsers(const std::string& id) const {
  std::vector<ImageUser> users;
  for (Container* c : ctx_.registry->All()) {
    if (c->record().image == id) users.push_back({c->id(), c->running()});
  }
  return users;
}

base::Result<std::string> ContainerOps::TetherConfig(const Container& c) const {
  TETHER_ASSIGN_OR_RETURN(std::string key, ctx_.registry->IdentityKey(c));
  return TetherConfigJson(c.record(), ctx_.host_key_sha256, key);
}

base::Result<bool> ContainerOps::Boot(Container* c) {
  if (ctx_.vms == nullptr) {
    return base::Status::Unavailable("this attachd does not run container VMs");
  }
  return ctx_.vms->Start(c);
}

base::Status ContainerOps::Kill(Container* c, const std::string& ref,
                                int signo) {
  std::string what = "Cannot kill container: " + ref;
  if (!c->running()) {
    return base::Status::Conflict(what + ": Container " + c->id() +
                                  " is not running");
  }
  if (signo < 1 || signo > 64) {
    return base::Status::InvalidArgument("Invalid signal: " +
                                         std::to_string(signo));
  }
  if (c->link() == nullptr && c->vm() != nullptr) {
    // No tether to deliver it (booting, or gone quiet): only KILL has a
    // meaning for the VM as a whole.
    if (signo != SIGKILL) {
      return base::Status::Unavailable(
          what +
          ": its tether is not connected (only KILL stops the VM without it)");
    }
    base::Status s = c->vm()->Kill();
    return s.ok() ? s : s.Annotate(what);
  }
  pb::Envelope env;
  env.mutable_signal()->set_session_id(kPrimarySession);
  env.mutable_signal()->set_signo(signo);
  base::Status s = c->SendControl(env);
  return s.ok() ? s : s.Annotate(what);
}

base::Status ContainerOps::Stop(Container* c, int signo, int timeout_s) {
  if (!c->running()) {
    return base::Status::Conflict("Container " + c->id() + " is not running");
  }
  if (c->link() == nullptr) {
    return c->vm() != nullptr
               ? c->vm()->Kill()
               : base::Status::Unavailable("its tether is not connected");
  }
  pb::Envelope env;
  env.mutable_stop()->set_signo(signo);
  env.mutable_stop()->set_timeout_s(timeout_s);
  return c->SendControl(env);
}

base::Status ContainerOps::Resize(Container* c, const std::string& id,
                                  uint32_t rows, uint32_t cols) {
  TETHER_ASSIGN_OR_RETURN(Session * s, c->GetSession(id));
  ResizeSession(c, s, rows, cols);
  return base::Status::Ok();
}

void ResizeSession(Container* c, Session* s, uint32_t rows, uint32_t cols) {
  if (rows == 0 || cols == 0) return;
  s->rows = rows;
  s->cols = cols;
  pb::Envelope env;
  env.mutable_resize()->set_session_id(s->id());
  env.mutable_resize()->set_rows(rows);
  env.mutable_resize()->set_cols(cols);
  // Unavailable is fine: ReplayAttachments sends the size on Hello.
  (void)c->SendControl(env);
}

base::Status ContainerOps::Remove(Container* c, bool force) {
  if (c->running() && !force) {
    return base::Status::Conflict(
        "You cannot remove a running container " + c->id() +
        ". Stop the container before attempting removal or force remove");
  }
  std::string id = c->id();
  if (ControlLink* link = c->link()) {
    if (c->primary_running()) {
      pb::Envelope kill;
      kill.mutable_signal()->set_session_id(kPrimarySession);
      kill.mutable_signal()->set_signo(SIGKILL);
      (void)link->SendControl(kill);
    }
    link->Disconnect("container removed");
  }
  if (ctx_.vms != nullptr) ctx_.vms->Discard(c);
  c->NotifyGone("container " + id.substr(0, 12) + " was removed");
  base::Status s = ctx_.registry->Remove(c);
  LOG_INFO("container %s removed", id.substr(0, 12).c_str());
  return s;
}

base::Status ContainerOps::CheckExec(const Container& c,
                                     const ExecSpec& spec) const {
  if (spec.args.empty() || spec.args[0].empty()) {
    return base::Status::InvalidArgument("No exec command specified");
  }
  if (!c.primary_running()) {
    return base::Status::Conflict("Container " + c.id() + " is not running");
  }
  if (c.link() == nullptr) {
    return base::Status::Conflict("Container " + c.id() +
                                  ": its tether is not connected");
  }
  return c.CheckNewExec();
}

void ContainerOps::LaunchExec(Container* c, const std::string& id,
                              const ExecSpec& spec) {
  pb::Envelope env;
  pb::Exec* exec = env.mutable_exec();
  exec->set_session_id(id);
  exec->set_path(spec.args[0]);
  for (const std::string& a : spec.args) exec->add_args(a);
  for (const std::string& e : spec.env) exec->add_env(e);
  exec->set_workdir(spec.workdir);
  exec->set_user(spec.user);
  exec->set_tty(spec.tty);
  exec->set_open_stdin(spec.stdin);
  exec->set_rows(spec.rows);
  exec->set_cols(spec.cols);
  c->AddExecSession(id, *exec);
  base::Status s = c->SendControl(env);
  if (s.ok()) return;
  pb::ExecFailed failed;
  failed.set_session_id(id);
  failed.set_exit_code(125);
  failed.set_message(s.message());
  (void)c->ApplyExecFailed(failed);  // Registered just above.
}

}  // namespace endpoint
}  // namespace attach
