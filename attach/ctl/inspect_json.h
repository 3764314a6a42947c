// `tetherctl inspect`: docker inspect's JSON for the fields a container VM
// has, in docker's key order:
//
//   {"Id", "Created", "Path", "Args",
//    "State": {"Status", "Running", "Paused", "Restarting", "OOMKilled",
//              "Dead", "Pid", "ExitCode", "Error", "StartedAt",
//              "FinishedAt"},
//    "Name": "/name",
//    "Config": {"User", "Tty", "OpenStdin", "Env", "Cmd", "WorkingDir"}}
//
// Pure functions. nlohmann's throwing calls stay inside the .cc.
#ifndef TETHER_ATTACH_CTL_INSPECT_JSON_H_
#define TETHER_ATTACH_CTL_INSPECT_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "client.pb.h"

namespace attach {
namespace ctl {

// What docker shows under Config that ContainerStatus does not carry: the
// primary session's settings from the tether config JSON
// (Response.config_json). Nothing else of that document is kept; it holds
// the container's private key.
struct SessionFacts {
  std::vector<std::string> env;
  std::string user;
  std::string workdir;
  bool open_stdin = false;
};

// The primary session (the one with "primary": true, else the only one) of
// a tether config document. kInvalidArgument when the text is not JSON or
// has no sessions; field types are not re-validated (attachd wrote it).
base::Result<SessionFacts> PrimarySessionFacts(std::string_view config_json);

// One docker-shaped object. `facts` may be null when the config could not
// be read: Env is then [], User and WorkingDir "", OpenStdin false.
nlohmann::ordered_json InspectObject(const tether::attach::ContainerStatus& c,
                                     const SessionFacts* facts);

// docker's output: the array indented by four spaces and a newline, or
// "[]\n" when empty. Strings are escaped as Go's encoding/json does (<, >
// and & as \u003c \u003e \u0026; invalid UTF-8 as U+FFFD).
std::string RenderInspect(const std::vector<nlohmann::ordered_json>& objects);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_INSPECT_JSON_H_
