// docker run's -p/--publish syntax, parsed client-side as the docker CLI
// does (nat.ParsePortSpec): [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTO],
// ports or equal-length ranges ("8080-8081:80-81"). A missing host port
// means any free one. Pure functions.
#ifndef TETHER_ATTACH_CTL_PUBLISH_FLAG_H_
#define TETHER_ATTACH_CTL_PUBLISH_FLAG_H_

#include <string_view>
#include <vector>

#include "base/result.h"
#include "client.pb.h"

namespace attach {
namespace ctl {

// The bindings of one -p value. kInvalidArgument in docker's words:
// "Invalid containerPort: x", "Invalid hostPort: x", "Invalid proto: x",
// "Invalid ranges specified for container and host Ports: ...".
base::Result<std::vector<tether::attach::PortBinding>> ParsePublish(
    std::string_view spec);

}  // namespace ctl
}  // namespace attach

#endif  // TETHER_ATTACH_CTL_PUBLISH_FLAG_H_
