#include "attach/endpoint/api/create_spec.h"

#include <algorithm>

#include "attach/endpoint/api/json_read.h"
#include "attach/endpoint/api/views.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

constexpr int64_t kMiB = 1 << 20;

std::string EnvKey(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

// HostConfig.PortBindings: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]},
// an empty HostPort for any free port (docker run -p 80).
base::Status ReadPortBindings(const Fields& h, CreateBody* b) {
  TETHER_ASSIGN_OR_RETURN(json bindings, h.Object("PortBindings"));
  for (const auto& [key, list] : bindings.items()) {
    TETHER_ASSIGN_OR_RETURN(PortMapping base, ParsePortKey(key));
    if (list.is_null()) continue;
    if (!list.is_array()) {
      return base::Status::InvalidArgument(
          "json: cannot unmarshal " + std::string(list.type_name()) +
          " into Go struct field HostConfig.PortBindings of type "
          "[]nat.PortBinding");
    }
    for (const json& one : list) {
      if (!one.is_object()) {
        return base::Status::InvalidArgument(
            "json: cannot unmarshal " + std::string(one.type_name()) +
            " into Go value of type nat.PortBinding");
      }
      Fields f(one, "PortBinding");
      PortMapping m = base;
      std::string host_port;
      TETHER_RETURN_IF_ERROR(f.String("HostIp", &m.host_ip));
      TETHER_RETURN_IF_ERROR(f.String("HostPort", &host_port));
      if (!host_port.empty()) {
        base::Result<PortMapping> parsed = ParsePortKey(host_port);
        if (!parsed.ok() || host_port.find('/') != std::string::npos) {
          return base::Status::InvalidArgument(
              "invalid host port \"" + host_port +
              "\": container VMs publish one port number per binding, "
              "not a range");
        }
        m.host_port = parsed->container_port;
      }
      b->port_bindings.push_back(m);
    }
  }
  return h.Bool("PublishAllPorts", &b->publish_all);
}

base::Status ReadHostConfig(const Fields& top, CreateBody* b) {
  TETHER_ASSIGN_OR_RETURN(json host, top.Object("HostConfig"));
  Fields h(host, "HostConfig");
  TETHER_RETURN_IF_ERROR(h.Bool("AutoRemove", &b->auto_remove));
  TETHER_RETURN_IF_ERROR(h.Bool("Privileged", &b->privileged));
  std::vector<std::string> security;
  TETHER_RETURN_IF_ERROR(h.StringList("SecurityOpt", &security));
  for (const std::string& opt : security) {
    if (opt == "no-new-privileges" || opt == "no-new-privileges:true" ||
        opt == "no-new-privileges=true") {
      b->no_new_privileges = true;
    } else if (opt != "no-new-privileges:false" &&
               opt != "no-new-privileges=false") {
      return base::Status::InvalidArgument(
          "security option \"" + opt +
          "\" is not supported by container VMs (only no-new-privileges)");
    }
  }
  TETHER_RETURN_IF_ERROR(h.Int("Memory", &b->memory));
  TETHER_RETURN_IF_ERROR(h.String("NetworkMode", &b->network_mode));
  TETHER_RETURN_IF_ERROR(ReadPortBindings(h, b));
  TETHER_ASSIGN_OR_RETURN(json restart, h.Object("RestartPolicy"));
  return Fields(restart, "RestartPolicy").String("Name", &b->restart_policy);
}

}  // namespace

base::Result<CreateBody> ParseCreateBody(std::string_view text) {
  TETHER_ASSIGN_OR_RETURN(json doc, ParseBody(text));
  Fields f(doc, "Config");
  CreateBody b;
  TETHER_RETURN_IF_ERROR(f.String("Image", &b.image));
  TETHER_RETURN_IF_ERROR(f.String("Hostname", &b.hostname));
  TETHER_RETURN_IF_ERROR(f.String("User", &b.user));
  TETHER_RETURN_IF_ERROR(f.String("WorkingDir", &b.workdir));
  TETHER_RETURN_IF_ERROR(f.Bool("AttachStdin", &b.attach_stdin));
  TETHER_RETURN_IF_ERROR(f.Bool("AttachStdout", &b.attach_stdout));
  TETHER_RETURN_IF_ERROR(f.Bool("AttachStderr", &b.attach_stderr));
  TETHER_RETURN_IF_ERROR(f.Bool("Tty", &b.tty));
  TETHER_RETURN_IF_ERROR(f.Bool("OpenStdin", &b.open_stdin));
  TETHER_RETURN_IF_ERROR(f.Bool("StdinOnce", &b.stdin_once));
  TETHER_RETURN_IF_ERROR(f.StringList("Env", &b.env));
  TETHER_RETURN_IF_ERROR(f.StrSlice("Cmd", &b.cmd));
  TETHER_RETURN_IF_ERROR(
      f.StrSlice("Entrypoint", &b.entrypoint, &b.entrypoint_set));
  TETHER_RETURN_IF_ERROR(f.StringMap("Labels", &b.labels));
  TETHER_RETURN_IF_ERROR(f.KeySet("ExposedPorts", &b.exposed_ports));
  TETHER_RETURN_IF_ERROR(f.String("StopSignal", &b.stop_signal));
  TETHER_RETURN_IF_ERROR(f.Int("StopTimeout", &b.stop_timeout));
  TETHER_RETURN_IF_ERROR(ReadHostConfig(f, &b));
  if (b.image.empty()) {
    return base::Status::InvalidArgument(
        "No image specified: config.Image must be set");
  }
  return b;
}

void MergeImageConfig(const ImageConfig& image, CreateBody* b) {
  if (b->user.empty()) b->user = image.user;
  if (b->env.empty()) {
    b->env = image.env;
  } else {
    std::vector<std::string> extra;
    for (const std::string& e : image.env) {
      std::string key = EnvKey(e);
      bool set =
          std::any_of(b->env.begin(), b->env.end(),
                      [&](const std::string& u) { return EnvKey(u) == key; });
      if (!set) extra.push_back(e);
    }
    b->env.insert(b->env.end(), extra.begin(), extra.end());
  }
  for (const auto& [k, v] : image.labels) b->labels.emplace(k, v);
  for (const std::string& p : image.exposed_ports) {
    if (std::find(b->exposed_ports.begin(), b->exposed_ports.end(), p) ==
        b->exposed_ports.end()) {
      b->exposed_ports.push_back(p);
    }
  }
  if (b->entrypoint.empty()) {
    if (b->cmd.empty()) b->cmd = image.cmd;
    if (!b->entrypoint_set) b->entrypoint = image.entrypoint;
  }
  if (b->workdir.empty()) b->workdir = image.workdir;
}

base::Result<ContainerRecord> RecordFor(const CreateBody& b,
                                        const std::string& name,
                                        const std::string& image_id) {
  ContainerRecord r;
  r.name = name;
  r.image = image_id;
  r.image_name = b.image;
  r.hostname = b.hostname;
  r.user = b.user;
  r.tty = b.tty;
  r.open_stdin = b.open_stdin;
  r.env = b.env;
  r.auto_remove = b.auto_remove;
  r.privileged = b.privileged;
  r.no_new_privileges = b.no_new_privileges;
  // `--entrypoint ""` resets the image's entrypoint: an empty first word
  // is not a command.
  std::vector<std::string> entrypoint = b.entrypoint;
  if (entrypoint.size() == 1 && entrypoint[0].empty()) entrypoint.clear();
  r.args = entrypoint;
  r.args.insert(r.args.end(), b.cmd.begin(), b.cmd.end());
  if (r.args.empty()) {
    return base::Status::InvalidArgument("No command specified");
  }
  if (!b.workdir.empty() && b.workdir[0] != '/') {
    return base::Status::InvalidArgument(
        "the working directory '" + b.workdir +
        "' is invalid, it needs to be an absolute path");
  }
  r.workdir = b.workdir;
  if (b.memory < 0) {
    return base::Status::InvalidArgument("invalid memory limit");
  }
  if (b.memory > 0) {
    int64_t mb = (b.memory + kMiB - 1) / kMiB;
    if (mb < kMinVmMemoryMb || mb > kMaxVmMemoryMb) {
      return base::Status::InvalidArgument(
          "a container VM needs between " + std::to_string(kMinVmMemoryMb) +
          " MiB and " + std::to_string(kMaxVmMemoryMb) +
          " MiB of memory, not " + std::to_string(mb) + " MiB");
    }
    r.memory_mb = static_cast<uint32_t>(mb);
  }
  r.network = b.network_mode;
  r.ports = b.port_bindings;
  json bindings = json::object();
  for (const PortMapping& m : b.port_bindings) {
    bindings[PortKey(m)].push_back(json{
        {"HostIp", m.host_ip},
        {"HostPort", m.host_port == 0 ? "" : std::to_string(m.host_port)}});
  }
  if (b.publish_all) PublishExposed(b.exposed_ports, &r.ports);
  json ports = json::object();
  for (const std::string& p : b.exposed_ports) ports[p] = json::object();
  json config{
      {"Hostname", b.hostname},
      {"Domainname", ""},
      {"User", b.user},
      {"AttachStdin", b.attach_stdin},
      {"AttachStdout", b.attach_stdout},
      {"AttachStderr", b.attach_stderr},
      {"ExposedPorts", ports},
      {"Tty", b.tty},
      {"OpenStdin", b.open_stdin},
      {"StdinOnce", b.stdin_once},
      {"Env", b.env},
      {"Cmd", b.cmd.empty() ? json(nullptr) : json(b.cmd)},
      {"Image", b.image},
      {"WorkingDir", b.workdir},
      {"Entrypoint", entrypoint.empty() ? json(nullptr) : json(entrypoint)},
      {"Labels", b.labels}};
  if (!b.stop_signal.empty()) config["StopSignal"] = b.stop_signal;
  if (b.stop_timeout >= 0) config["StopTimeout"] = b.stop_timeout;
  json host{
      {"AutoRemove", b.auto_remove},
      {"LogConfig", LogConfig()},
      {"Privileged", b.privileged},
      {"SecurityOpt",
       b.no_new_privileges ? json({"no-new-privileges"}) : json(nullptr)},
      {"Memory", b.memory},
      {"NetworkMode", b.network_mode.empty() ? "default" : b.network_mode},
      {"PortBindings", bindings},
      {"PublishAllPorts", b.publish_all},
      {"RestartPolicy",
       {{"Name", b.restart_policy.empty() ? "no" : b.restart_policy},
        {"MaximumRetryCount", 0}}}};
  r.api = json{{"Config", config}, {"HostConfig", host}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  return r;
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
