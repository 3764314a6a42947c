// Images as the Docker Engine API (1.41) shows them: `GET /images/json`
// (ImageSummary) and `GET /images/{name}/json` (docker image inspect).
// tetherctl's `image inspect` prints the same document.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_JSON_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_JSON_H_

#include <nlohmann/json.hpp>

#include "attach/endpoint/images/image_store.h"

namespace attach {
namespace endpoint {

// docker image inspect: Id, RepoTags, RepoDigests, Parent, Comment,
// Created (RFC 3339), Container, ContainerConfig, DockerVersion, Author,
// Config (the image config's own `config` object, as loaded), Architecture,
// Os, Size, VirtualSize, GraphDriver (Name "tether-ext4", Data.BaseDisk),
// RootFS {Type "layers", Layers}, Metadata.
nlohmann::json ImageInspectJson(const Image& image);

// One entry of docker images: Id, ParentId, RepoTags (["<none>:<none>"]
// when untagged), RepoDigests, Created (epoch seconds), Size, VirtualSize,
// SharedSize (-1), Labels, Containers (-1).
nlohmann::json ImageSummaryJson(const Image& image);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_JSON_H_
