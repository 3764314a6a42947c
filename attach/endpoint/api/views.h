// The JSON documents the docker CLI reads, built from what attachd knows:
// container inspect (GET /containers/X/json), the container list (GET
// /containers/json) and exec inspect (images: images/image_json.h).
// Field names, types and zero values follow moby's api/types (a Created that is
// an RFC 3339 string in inspect but an integer in the list, never-null State,
// Config, HostConfig and NetworkSettings, which the CLI dereferences
// unchecked).
#ifndef TETHER_ATTACH_ENDPOINT_API_VIEWS_H_
#define TETHER_ATTACH_ENDPOINT_API_VIEWS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "attach/endpoint/containers/container.h"
#include "attach/endpoint/images/image_store.h"

namespace attach {
namespace endpoint {
namespace api {

// The Config and HostConfig of a container: what the API stored at create,
// or, for a container tetherctl made, the same shape built from its record.
nlohmann::json ContainerConfig(const ContainerRecord& r);
nlohmann::json HostConfig(const ContainerRecord& r);
// HostConfig.LogConfig: how docker clients learn logs can be read back.
nlohmann::json LogConfig();

// `image_ref` is the image's id for a record without one (the built-in).
nlohmann::json ContainerInspect(const Container& c,
                                const std::string& builtin_image_id);
nlohmann::json ContainerSummary(const Container& c,
                                const std::string& builtin_image_id,
                                int64_t now_nanos);

// GET /exec/ID/json for session `id` of `c` (`started`: the exec was
// started, so its record says how it went).
nlohmann::json ExecInspect(const Container& c, const std::string& id,
                           bool started, bool tty, bool stdin,
                           const std::vector<std::string>& args,
                           const std::string& user);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_VIEWS_H_
