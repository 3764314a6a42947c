#include "attach/docker/container_text.h"

#include "attach/docker/time_format.h"

namespace attach {
namespace docker {
namespace {

using tether::attach::ContainerStatus;

std::string Since(int64_t unix_seconds, int64_t now_nanos) {
  return HumanDuration(now_nanos - unix_seconds * kNanosPerSecond);
}

}  // namespace

std::string DockerCommand(const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ' ';
    // Only the arguments are quoted, never the path, and only for spaces
    // (tabs and quotes inside stay as they are): moby's exact rule.
    if (i > 0 && args[i].find(' ') != std::string::npos) {
      out += "'" + args[i] + "'";
    } else {
      out += args[i];
    }
  }
  return out;
}

std::string TruncateId(const std::string& id) { return id.substr(0, 12); }

std::string StatusText(const ContainerStatus& c, int64_t now_nanos) {
  const std::string& state = c.state();
  if (state == "running" || state == "paused") {
    // A running container always has a start time; fall back to its
    // creation rather than print "Up 55 years" if attachd left it out.
    int64_t started = c.started_at() != 0 ? c.started_at() : c.created_at();
    std::string up = "Up " + Since(started, now_nanos);
    return state == "paused" ? up + " (Paused)" : up;
  }
  if (state == "restarting") {
    return "Restarting (" + std::to_string(c.exit_code()) + ") " +
           Since(c.finished_at(), now_nanos) + " ago";
  }
  if (state == "removing") return "Removal In Progress";
  if (state == "dead") return "Dead";
  if (state == "created" || c.started_at() == 0) return "Created";
  if (c.finished_at() == 0) return "";
  return "Exited (" + std::to_string(c.exit_code()) + ") " +
         Since(c.finished_at(), now_nanos) + " ago";
}

std::string CreatedText(const ContainerStatus& c, int64_t now_nanos) {
  return Since(c.created_at(), now_nanos) + " ago";
}

std::string PortsText(const tether::attach::ContainerStatus& c) {
  if (c.state() != "running") return "";
  std::string out;
  for (const tether::attach::PortBinding& p : c.ports()) {
    if (!out.empty()) out += ", ";
    out += (p.host_ip().empty() ? "0.0.0.0" : p.host_ip()) + ":" +
           std::to_string(p.host_port()) + "->" +
           std::to_string(p.container_port()) + "/" + p.proto();
  }
  return out;
}

std::string ImageText(const tether::attach::ContainerStatus& c, bool no_trunc) {
  if (!c.image_name().empty()) return c.image_name();
  if (c.image().empty()) return "busybox";
  std::string id = c.image();
  if (id.rfind("sha256:", 0) == 0 && !no_trunc) id = id.substr(7);
  return no_trunc ? id : TruncateId(id);
}

}  // namespace docker
}  // namespace attach
