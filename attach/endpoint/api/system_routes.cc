// _ping, version and info.
#include <ctime>

#include "attach/docker/time_format.h"
#include "attach/endpoint/api/replies.h"
#include "attach/endpoint/api/routes.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;

// What attachd calls itself where dockerd gives its version: the API it
// serves is dockerd 20.10's.
constexpr char kServerVersion[] = "20.10.24-tether";

}  // namespace

void Ping(Call& call) {
  http::Response r;
  static_cast<http::ResponseHead&>(r) =
      DockerHead(200, "text/plain; charset=utf-8");
  r.headers.push_back({"Cache-Control", "no-cache, no-store, must-revalidate"});
  r.headers.push_back({"Pragma", "no-cache"});
  r.body = "OK";  // The server leaves it out of a HEAD answer.
  call.ex->Respond(std::move(r));
}

void Version(Call& call) {
  const HostFacts& h = call.ctx->host;
  json details{{"ApiVersion", kApiVersion},
               {"MinAPIVersion", kMinApiVersion},
               {"GitCommit", ""},
               {"GoVersion", "none (C++)"},
               {"Os", "linux"},
               {"Arch", "amd64"},
               {"KernelVersion", h.kernel},
               {"BuildTime", ""},
               {"Experimental", "false"}};
  // The top level repeats the engine's details, as dockerd's does.
  json v = details;
  v["Experimental"] = false;
  v["Version"] = kServerVersion;
  v["Platform"] = {{"Name", "Tether (container VMs)"}};
  v["Components"] = {
      {{"Name", "Engine"}, {"Version", kServerVersion}, {"Details", details}}};
  ReplyJson(*call.ex, 200, v);
}

void Info(Call& call) {
  const HostFacts& h = call.ctx->host;
  int running = 0, stopped = 0, total = 0;
  for (Container* c : call.ctx->ops->registry().All()) {
    ++total;
    std::string s = c->state();
    if (s == "running") ++running;
    if (s == "exited") ++stopped;
  }
  json none{{"ID", ""}, {"Expected", ""}};
  json info{
      {"ID", h.hostname},
      {"Containers", total},
      {"ContainersRunning", running},
      {"ContainersPaused", 0},
      {"ContainersStopped", stopped},
      {"Images", call.ctx->images->All().size()},
      {"Driver", "tether-vm"},
      {"DriverStatus", json::array()},
      {"Plugins",
       {{"Volume", json::array()},
        {"Network", json::array()},
        {"Authorization", nullptr},
        {"Log", {"json-file"}}}},
      // A container VM has its own kernel and memory: every limit dockerd
      // would warn about is enforced by the VM itself.
      {"MemoryLimit", true},
      {"SwapLimit", true},
      {"KernelMemory", true},
      {"KernelMemoryTCP", true},
      {"CpuCfsPeriod", true},
      {"CpuCfsQuota", true},
      {"CPUShares", true},
      {"CPUSet", true},
      {"PidsLimit", true},
      {"OomKillDisable", true},
      {"IPv4Forwarding", true},
      {"BridgeNfIptables", true},
      {"BridgeNfIp6tables", true},
      {"Debug", false},
      {"NFd", 0},
      {"NGoroutines", 0},
      {"SystemTime", docker::FormatRfc3339Nano(docker::NowUnixNanos())},
      {"LoggingDriver", "json-file"},
      {"CgroupDriver", "none"},
      {"CgroupVersion", "2"},
      {"NEventsListener", 0},
      {"KernelVersion", h.kernel},
      {"OperatingSystem", h.os},
      {"OSVersion", ""},
      {"OSType", "linux"},
      {"Architecture", "x86_64"},
      {"IndexServerAddress", "https://index.docker.io/v1/"},
      {"RegistryConfig", nullptr},
      {"NCPU", h.ncpu},
      {"MemTotal", h.memory},
      {"GenericResources", nullptr},
      {"DockerRootDir", h.root_dir},
      {"HttpProxy", ""},
      {"HttpsProxy", ""},
      {"NoProxy", ""},
      {"Name", h.hostname},
      {"Labels", json::array()},
      {"ExperimentalBuild", false},
      {"ServerVersion", kServerVersion},
      {"Runtimes", {{"tether-vm", {{"path", "qemu-system-x86_64"}}}}},
      {"DefaultRuntime", "tether-vm"},
      {"Swarm",
       {{"NodeID", ""},
        {"NodeAddr", ""},
        {"LocalNodeState", "inactive"},
        {"ControlAvailable", false},
        {"Error", ""},
        {"RemoteManagers", nullptr}}},
      {"LiveRestoreEnabled", true},
      {"Isolation", ""},
      {"InitBinary", "tether"},
      {"ContainerdCommit", none},
      {"RuncCommit", none},
      {"InitCommit", none},
      {"SecurityOptions", {h.kvm ? "name=vm,accel=kvm" : "name=vm,accel=tcg"}},
      {"Warnings", call.ctx->warnings}};
  ReplyJson(*call.ex, 200, info);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
