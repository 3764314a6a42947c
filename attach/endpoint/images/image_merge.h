// dockerd's merge of an image's config into a container's create request
// (daemon/commit.go merge, daemon/create.go): what the request leaves
// empty comes from the image.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_MERGE_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_MERGE_H_

#include <string>
#include <vector>

#include "attach/endpoint/images/image_config.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// The parts of a create request the image's config is merged into.
struct RunSpec {
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  bool entrypoint_set = false;  // --entrypoint given, even "" (a reset).
  std::vector<std::string> env;
  std::string user;
  std::string workdir;
  std::vector<std::string> exposed_ports;
};

// User, working directory: the image's when empty. Env: the request's,
// then the image's variables it does not set (as dockerd appends them).
// Command: the image's Cmd when neither a Cmd
// nor an Entrypoint was given; its Entrypoint unless one was set.
// Exposed ports: both. Returns the argv (entrypoint, then cmd);
// kInvalidArgument "No command specified" when it is empty.
base::Result<std::vector<std::string>> MergeImageConfig(
    const ImageConfig& image, RunSpec* spec);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_MERGE_H_
