// The tether config of a container (docs/config.md): what `tetherctl run`
// hands the VM so its tether starts the container and dials attachd.
#ifndef TETHER_ATTACH_ENDPOINT_CONTAINERS_TETHER_CONFIG_H_
#define TETHER_ATTACH_ENDPOINT_CONTAINERS_TETHER_CONFIG_H_

#include <string>

#include "attach/endpoint/containers/container_record.h"
#include "base/result.h"
#include "guestinfo/config.h"

namespace attach {
namespace endpoint {

// Version 1 config: id, name, hostname (the name when it is a valid
// hostname, else the first 12 digits of the id), the endpoint with
// attachd's host key fingerprint and the container's identity key, and one
// primary session "main" running args. Validated with
// guestinfo::DecodeConfig before it is returned, so a config attachd hands
// out is one the tether accepts; kInvalidArgument naming the field if not.
// The result holds a secret (the identity key): never log it.
base::Result<std::string> TetherConfigJson(const ContainerRecord& record,
                                           const std::string& host_key_sha256,
                                           const std::string& identity_key);

// The same config as a struct, before encoding.
guestinfo::Config TetherConfig(const ContainerRecord& record,
                               const std::string& host_key_sha256,
                               const std::string& identity_key);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CONTAINERS_TETHER_CONFIG_H_
