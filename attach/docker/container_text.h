// docker's words for a container: the Command column, short ids and the
// Status and Created texts, as `docker ps` (and the Docker API's
// container list) show them. Shared by tetherctl and attachd's Docker
// API. Pure functions; the current time is an argument.
#ifndef TETHER_ATTACH_DOCKER_CONTAINER_TEXT_H_
#define TETHER_ATTACH_DOCKER_CONTAINER_TEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "client.pb.h"

namespace attach {
namespace docker {

// The daemon's Command column before quoting (moby daemon/list.go): argv
// joined by spaces, each argument after the first that contains a space
// wrapped in single quotes: {"sh","-c","echo hi"} -> "sh -c 'echo hi'".
std::string DockerCommand(const std::vector<std::string>& args);

// The first 12 characters of an id (docker's TruncateID).
std::string TruncateId(const std::string& id);

// "Up 3 seconds", "Exited (0) 2 minutes ago", "Created" — moby's
// State.String() for the container's state, start and finish times.
std::string StatusText(const tether::attach::ContainerStatus& c,
                       int64_t now_nanos);

// "5 seconds ago": the CREATED column (units.HumanDuration + " ago").
// docker ps's PORTS: "127.0.0.1:8080->80/tcp, 0.0.0.0:32768->53/udp"
// while the container runs (its ports as bound); empty otherwise.
std::string PortsText(const tether::attach::ContainerStatus& c);

// docker ps's IMAGE: the image as the user named it, else its short id
// (its full id with `no_trunc`); "busybox" for the VM image's own root.
std::string ImageText(const tether::attach::ContainerStatus& c, bool no_trunc);

std::string CreatedText(const tether::attach::ContainerStatus& c,
                        int64_t now_nanos);

}  // namespace docker
}  // namespace attach

#endif  // TETHER_ATTACH_DOCKER_CONTAINER_TEXT_H_
