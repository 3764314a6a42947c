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
      {"Config", ContainerConfig(r)},
      {"NetworkSettings",
       {{"Bridge", ""},
        {"SandboxID", ""},
        {"HairpinMode", false},
        {"Ports", json::object()},
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
      {"Ports", json::array()},
      {"Labels", labels.is_object() ? labels : json::object()},
      {"State", s.state()},
      {"Status", docker::StatusText(s, now_nanos)},
      {"HostConfig", {{"NetworkMode", host.value("NetworkMode", "default")}}},
      {"NetworkSettings", {{"Networks", json::object()}}},
      {"Mounts", json::array()}};
}

json ImageSummary(const Image& image, int containers) {
  return json{{"Id", image.id},
              {"ParentId", ""},
              {"RepoTags", image.repo_tags.empty()
                               ? std::vector<std::string>{"<none>:<none>"}
                               : image.repo_tags},
              {"RepoDigests", json::array()},
              {"Created", image.created},
              {"Size", image.size},
              {"VirtualSize", image.size},
              {"SharedSize", -1},
              {"Labels", image.config.labels},
              {"Containers", containers}};
}

json ImageInspect(const Image& image) {
  json ports = json::object();
  for (const std::string& p : image.config.exposed_ports) {
    ports[p] = json::object();
  }
  json config{{"User", image.config.user},
              {"Env", image.config.env},
              {"Cmd", image.config.cmd.empty() ? json(nullptr)
                                               : json(image.config.cmd)},
              {"Entrypoint", image.config.entrypoint.empty()
                                 ? json(nullptr)
                                 : json(image.config.entrypoint)},
              {"WorkingDir", image.config.workdir},
              {"ExposedPorts", ports},
              {"Labels", image.config.labels}};
  return json{
      {"Id", image.id},
      {"RepoTags", image.repo_tags},
      {"RepoDigests", json::array()},
      {"Parent", ""},
      {"Comment", ""},
      {"Created", docker::FormatRfc3339Nano(image.created * kNanosPerSecond)},
      {"Container", ""},
      {"DockerVersion", ""},
      {"Author", ""},
      {"Config", config},
      {"Architecture", "amd64"},
      {"Os", "linux"},
      {"Size", image.size},
      {"VirtualSize", image.size},
      {"GraphDriver", {{"Data", nullptr}, {"Name", "tether-vm"}}},
      {"RootFS", {{"Type", "layers"}, {"Layers", json::array()}}},
      {"Metadata", {{"LastTagTime", "0001-01-01T00:00:00Z"}}}};
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
