// The container operations every client of attachd uses: tetherctl's
// socket (clients/) and the Docker Engine API (api/) call these, so a
// container is created, started, signalled, exec'd into and removed the
// same way whoever asks. Streams that outlive a call are objects of their
// own: Attachment (attach, exec), LogsFeed (logs), StartWatch and
// ExitWatch (start, wait).
//
// Errors are for the user, in docker's words where docker has them
// ("No such container: x", "Container x is not running"), with codes a
// transport maps to its own: kNotFound (404), kConflict (409),
// kInvalidArgument (400), kUnavailable and the rest (500).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_COMMANDS_CONTAINER_OPS_H_
#define TETHER_ATTACH_ENDPOINT_COMMANDS_CONTAINER_OPS_H_

#include <uv.h>

#include <cstdint>
#include <string>
#include <vector>

#include "attach/endpoint/containers/registry.h"
#include "attach/endpoint/images/image_merge.h"
#include "attach/endpoint/images/image_store.h"
#include "attach/endpoint/vms/vm_launcher.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

struct CommandContext {
  uv_loop_t* loop = nullptr;
  Registry* registry = nullptr;
  std::string host_key_sha256;   // attachd's host key, for tether configs.
  std::string default_endpoint;  // What a tether dials unless told.
  VmLauncher* vms = nullptr;     // Container VMs; null: start refuses.
  ImageStore* images = nullptr;  // Null: only the VM image's own root.
};

// A process to run in a running container (docker exec).
struct ExecSpec {
  std::vector<std::string> args;  // args[0] is the command.
  std::vector<std::string> env;   // "K=V"; never logged.
  std::string user;
  std::string workdir;
  bool tty = false;
  bool stdin = false;
  uint32_t rows = 0, cols = 0;  // Initial terminal size; 0: none.
};

class ContainerOps {
 public:
  explicit ContainerOps(CommandContext ctx) : ctx_(std::move(ctx)) {}

  const CommandContext& context() const { return ctx_; }
  Registry& registry() const { return *ctx_.registry; }

  // By full id, exact name (with or without docker's leading '/'), or
  // unique id prefix.
  base::Result<Container*> Find(const std::string& ref) const;

  // Registers a container; an empty endpoint becomes the default one. The
  // tether config it will hand out is built once here, so a container the
  // tether would refuse is refused now, while the user is there. The
  // record's image (an id) must exist (kNotFound "No such image: ..."),
  // its ports be valid and its network "" (or docker's "default"),
  // "bridge" or "none".
  base::Result<Container*> Create(ContainerRecord record);

  // For a create from `ref`: the image's config merged into `spec`
  // (image_merge.h) and the result put into `record` (image id, args,
  // env, user, workdir); with `publish_all` every exposed port is
  // published on a free host port (-P). kNotFound "No such image: ...".
  base::Status ApplyImage(const std::string& ref, RunSpec spec,
                          bool publish_all, ContainerRecord* record) const;

  // The containers that use image `id` (for rmi's conflicts).
  std::vector<ImageUser> ImageUsers(const std::string& id) const;
  // The container's tether config (JSON, with its identity key: secret).
  base::Result<std::string> TetherConfig(const Container& c) const;

  // Boots the container's VM: true when it did, false when it runs
  // already. kUnavailable when this attachd runs no VMs.
  base::Result<bool> Boot(Container* c);

  // Delivers `signo` (1..64) to the primary session through the tether;
  // without a tether only SIGKILL, which kills the VM. `ref` is the name
  // the user gave, for the message. kConflict when not running.
  base::Status Kill(Container* c, const std::string& ref, int signo);

  // Asks the tether to stop the container: `signo` (0: the session's
  // stop signal) to the primary, SIGKILL after `timeout_s` (<0: its stop
  // timeout). Without a tether the VM is killed. kConflict when not
  // running.
  base::Status Stop(Container* c, int signo, int timeout_s);

  // Removes a container: tells its clients, drops its tether, kills its
  // VM, deletes its state. kConflict for a running one unless `force`.
  base::Status Remove(Container* c, bool force);

  // Remembers a terminal size for session `id` and tells the tether
  // (later, on its Hello, when it is away). Sizes of 0 are ignored.
  base::Status Resize(Container* c, const std::string& id, uint32_t rows,
                      uint32_t cols);

  // Whether `spec` may run in `c` now: a command, a running primary, a
  // connected tether.
  base::Status CheckExec(const Container& c, const ExecSpec& spec) const;
  // Starts session `id` (the caller attached to c->GetSession(id) first,
  // so not a byte is missed). A failure to ask the tether ends the session
  // as an exec the tether could not start: its error, then 125.
  void LaunchExec(Container* c, const std::string& id, const ExecSpec& spec);

 private:
  CommandContext ctx_;
};

// Session `s` of `c` has a new terminal size: remembered for the tether's
// next Hello, and sent now when it is connected. Sizes of 0 are ignored.
void ResizeSession(Container* c, Session* s, uint32_t rows, uint32_t cols);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_COMMANDS_CONTAINER_OPS_H_
