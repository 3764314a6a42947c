// Image references as docker reads them (distribution/reference): what
// `docker run busybox` and `docker.io/library/busybox:latest` have in
// common, in the short "familiar" form docker prints: `busybox:latest`.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_REFERENCE_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_REFERENCE_H_

#include <string>
#include <string_view>

#include "base/result.h"

namespace attach {
namespace endpoint {

// NAME[:TAG] in its familiar form: "busybox" -> "busybox:latest",
// "docker.io/library/busybox:1.36" -> "busybox:1.36", "localhost:5000/a"
// -> "localhost:5000/a:latest". A digest ("@sha256:...") is kept as is.
// kInvalidArgument in docker's words: "invalid reference format" or
// "invalid reference format: repository name must be lowercase".
base::Result<std::string> NormalizeReference(std::string_view ref);

// Whether `ref` names an image by id: "sha256:<hex>" or bare hex, a prefix
// of at least one digit, as docker accepts them.
bool LooksLikeImageId(std::string_view ref);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_REFERENCE_H_
