#include "attach/endpoint/images/image_merge.h"

#include <algorithm>

namespace attach {
namespace endpoint {
namespace {

std::string KeyOf(const std::string& env) { return env.substr(0, env.find('=')); }

}  // namespace

base::Result<std::vector<std::string>> MergeImageConfig(
    const ImageConfig& image, RunSpec* spec) {
  if (spec->user.empty()) spec->user = image.user;
  if (spec->workdir.empty()) spec->workdir = image.workdir;
  for (const std::string& e : image.env) {
    bool set = std::any_of(spec->env.begin(), spec->env.end(),
                           [&](const std::string& s) { return KeyOf(s) == KeyOf(e); });
    if (!set) spec->env.push_back(e);
  }
  for (const std::string& p : image.exposed_ports) {
    auto& ports = spec->exposed_ports;
    if (std::find(ports.begin(), ports.end(), p) == ports.end()) {
      ports.push_back(p);
    }
  }
  if (spec->entrypoint.empty()) {
    if (spec->cmd.empty()) spec->cmd = image.cmd;
    if (!spec->entrypoint_set) spec->entrypoint = image.entrypoint;
  }
  // `--entrypoint ""` resets the image's: an empty word is no entrypoint.
  std::vector<std::string> args;
  for (const std::string& a : spec->entrypoint) {
    if (!(spec->entrypoint.size() == 1 && a.empty())) args.push_back(a);
  }
  args.insert(args.end(), spec->cmd.begin(), spec->cmd.end());
  if (args.empty() || args[0].empty()) {
    return base::Status::InvalidArgument("No command specified");
  }
  return args;
}

}  // namespace endpoint
}  // namespace attach
