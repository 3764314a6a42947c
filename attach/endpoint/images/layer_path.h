// Paths inside image layers, checked the way docker checks them before it
// writes anything (pkg/archive: breakoutError): a path is cleaned
// lexically, a leading '/' counts as the layer's root, and one that
// climbs out of the root ("../x", "a/../../x") is refused; so is a
// relative symlink whose target, joined to its directory, climbs out.
// Pure functions.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_PATH_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {

// ext4's limits, which the base disk must respect.
constexpr size_t kMaxNameBytes = 255;
constexpr size_t kMaxPathBytes = 4095;

// The components of `path` after cleaning ("./a//b/" -> {"a", "b"}; "."
// and "/" -> {}). kInvalidArgument "path escapes the image root" when
// ".." climbs out, "name longer than 255 bytes", "path longer than 4095
// bytes", or "empty path".
base::Result<std::vector<std::string>> CleanLayerPath(std::string_view path);

// The components joined with '/'.
std::string JoinPath(const std::vector<std::string>& parts);

// Whether a symlink at `parts` pointing at `target` stays inside the root
// when resolved lexically from its own directory (absolute targets always
// do: they resolve against the container's root).
bool SymlinkStaysInside(const std::vector<std::string>& parts,
                        std::string_view target);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_LAYER_PATH_H_
