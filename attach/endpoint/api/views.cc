#include "attach/endpoint/api/views.h"

#include "attach/docker/container_text.h"
#include "attach/docker/time_format.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using docker::FormatDockerTime;
using docker::kNanosPerSecond;
using nlohmann::json;

constexpr int64_t kMiB = 1 << 20;

json ParsedApi(const ContainerRecord& r) {
  if (r.api.empty()) return json::object();
  json api = json::parse(r.api, nullptr, false);
  return api.is_object() ? api : json::object();
}

const SessionRecord* Primary(const Container& c) {
  return c.status().Find(kPrimarySession);
}

std::string ImageIdOf(const ContainerRecord& r, const std::string& builtin) {
  return r.image.empty() ? builtin : r.image;
}

json StateObject(const Container& c, const tether::attach::ContainerStatus& s) {
  const SessionRecord* p = Primary(c);
  bool running = s.state() == "running";
  return json{{"Status", s.state()},
              {"Running", running},
              {"Paused", false},
              {"Restarting", false},
              {"OOMKilled", false},
              {"Dead", false},
              // The host's process of a container VM is its QEMU.
              {"Pid", running ? s.vm_pid() : 0},
              {"ExitCode", s.exit_code()},
              {"Error", p != nullptr ? p->error : ""},
              {"StartedAt", FormatDockerTime(s.started_at())},
              {"FinishedAt", FormatDockerTime(s.finished_at())}};
}

// Config.ExposedPorts' keys as mappings without a host side.
std::vector<PortMapping> ExposedOf(const json& config) {
  std::vector<PortMapping> out;
  auto it = config.find("ExposedPorts");
  if (it == config.end() || !it->is_object()) return out;
  for (const auto& [key, unused] : it->items()) {
    base::Result<PortMapping> m = ParsePortKey(key);
    if (m.ok()) out.push_back(*m);
  }
  return out;
}

std::string HostIp(const PortMapping& m) {
  return m.host_ip.empty() ? "0.0.0.0" : m.host_ip;
}

// NetworkSettings.Ports of inspect (what `docker port` prints): every
// exposed port of a running container, null when not published, and each
// published one with its host side as bound. Empty when not running.
json PortMap(const Container& c, const json& config) {
  json out = json::object();
  if (!c.running()) return out;
  for (const PortMapping& m : ExposedOf(config)) out[PortKey(m)] = nullptr;
  for (const PortMapping& m : c.status().ports) {
    out[PortKey(m)].push_back(
        json{{"HostIp", HostIp(m)}, {"HostPort", std::to_string(m.host_port)}});
  }
  return out;
}

// The list's Ports (docker ps's PORTS column), the same facts as a list.
json PortList(const Container& c, const json& config) {
  json out = json::array();
  if (!c.running()) return out;
  const std::vector<PortMapping>& bound = c.status().ports;
  for (const PortMapping& m : ExposedOf(config)) {
    bool published = false;
    for (const PortMapping& b : bound) published |= SameContainerPort(b, m);
    if (!published) {
      out.push_back(json{{"PrivatePort", m.container_port}, {"Type", m.proto}});
    }
  }
  for (const PortMapping& m : bound) {
    out.push_back(json{{"IP", HostIp(m)},
                       {"PrivatePort", m.container_port},
                       {"PublicPort", m.host_port},
                       {"Type", m.proto}});
  }
  return out;
}

}  // namespace

json LogConfig() {
  // attachd keeps every container's output and reads it back at any time,
  // following it too, as dockerd's json-file driver does; clients decide
  // from this name whether logs can be streamed (docker-py's run() returns
  // a container's output only for json-file and journald).
  return json{{"Type", "json-file"}, {"Config", json::object()}};
}

json ContainerConfig(const ContainerRecord& r) {
  json api = ParsedApi(r);
  auto it = api.find("Config");
  if (it != api.end() && it->is_object()) return *it;
  return json{{"Hostname", r.hostname},
              {"Domainname", ""},
              {"User", r.user},
              {"AttachStdin", false},
              {"AttachStdout", false},
              {"AttachStderr", false},
              {"Tty", r.tty},
              {"OpenStdin", r.open_stdin},
              {"StdinOnce", false},
              {"Env", r.env},
              {"Cmd", r.args},
              {"Image", ""},
              {"WorkingDir", r.workdir},
              {"Entrypoint", nullptr},
              {"Labels", json::object()}};
}

json HostConfig(const ContainerRecord& r) {
  json api = ParsedApi(r);
  auto it = api.find("HostConfig");
  if (it != api.end() && it->is_object()) return *it;
  return json{{"AutoRemove", r.auto_remove},
              {"LogConfig", LogConfig()},
              {"Privileged", r.privileged},
              {"Memory", static_cast<int64_t>(r.memory_mb) * kMiB},
              {"NetworkMode", "default"},
              {"RestartPolicy", {{"Name", "no"}, {"MaximumRetryCount", 0}}}};
}

json ContainerInspect(const Container& c, const std::string& builtin) {
  tether::attach::ContainerStatus s = c.Describe();
  const ContainerRecord& r = c.record();
  std::vector<std::string> args = r.args;
  json config = ContainerConfig(r);
  json exec_ids = json::array();
  for (const SessionRecord& rec : c.status().sessions) {
    if (rec.id != kPrimarySession && rec.running) exec_ids.push_back(rec.id);
  }
  return json{
      {"Id", r.id},
      {"Created", docker::FormatRfc3339Nano(r.created_at * kNanosPerSecond)},
      {"Path", args.empty() ? "" : args.front()},
      {"Args", args.empty()
                   ? std::vector<std::string>()
                   : std::vector<std::string>(args.begin() + 1, args.end())},
      {"State", StateObject(c, s)},
      {"Image", ImageIdOf(r, builtin)},
      {"ResolvConfPath", ""},
      {"HostnamePath", ""},
      {"HostsPath", ""},
      {"LogPath", c.dir() + "/logs/" + kPrimarySession + ".log"},
      {"Name", "/" + r.name},
      {"RestartCount", 0},
      {"Driver", "tether-vm"},
      {"Platform", "linux"},
      {"MountLabel", ""},
      {"ProcessLabel", ""},
      {"AppArmorProfile", ""},
      {"ExecIDs", exec_ids.empty() ? json(nullptr) : exec_ids},
      {"HostConfig", HostConfig(r)},
      {"GraphDriver", {{"Data", nullptr}, {"Name", "tether-vm"}}},
      {"Mounts", json::array()},
      {"Config", config},
      {"NetworkSettings",
       {{"Bridge", ""},
        {"SandboxID", ""},
        {"HairpinMode", false},
        {"Ports", PortMap(c, config)},
        {"SandboxKey", ""},
        {"IPAddress", ""},
        {"Gateway", ""},
        {"MacAddress", ""},
        {"Networks", json::object()}}}};
}

json ContainerSummary(const Container& c, const std::string& builtin,
                      int64_t now_nanos) {
  tether::attach::ContainerStatus s = c.Describe();
  const ContainerRecord& r = c.record();
  json config = ContainerConfig(r);
  std::string image = config.value("Image", "");
  std::string image_id = ImageIdOf(r, builtin);
  json labels = config.value("Labels", json::object());
  json host = HostConfig(r);
  return json{
      {"Id", r.id},
      {"Names", {"/" + r.name}},
      {"Image", image.empty() ? image_id : image},
      {"ImageID", image_id},
      {"Command", docker::DockerCommand(r.args)},
      {"Created", r.created_at},
      {"Ports", PortList(c, config)},
      {"Labels", labels.is_object() ? labels : json::object()},
      {"State", s.state()},
      {"Status", docker::StatusText(s, now_nanos)},
      {"HostConfig", {{"NetworkMode", host.value("NetworkMode", "default")}}},
      {"NetworkSettings", {{"Networks", json::object()}}},
      {"Mounts", json::array()}};
}

json ExecInspect(const Container& c, const std::string& id, bool started,
                 bool tty, bool stdin, const std::vector<std::string>& args,
                 const std::string& user) {
  const SessionRecord* rec = started ? c.status().Find(id) : nullptr;
  bool running = rec != nullptr && rec->running;
  json exit_code = nullptr;
  if (rec != nullptr && rec->exited) exit_code = rec->exit_code;
  return json{{"ID", id},
              {"Running", running},
              {"ExitCode", exit_code},
              {"ProcessConfig",
               {{"tty", tty},
                {"entrypoint", args.empty() ? "" : args.front()},
                {"arguments", args.empty() ? std::vector<std::string>()
                                           : std::vector<std::string>(
                                                 args.begin() + 1, args.end())},
                {"privileged", false},
                {"user", user}}},
              {"OpenStdin", stdin},
              {"OpenStderr", true},
              {"OpenStdout", true},
              {"CanRemove", false},
              {"ContainerID", c.id()},
              {"DetachKeys", ""},
              {"Pid", running ? rec->pid : 0}};
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
