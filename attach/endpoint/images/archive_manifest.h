// What a `docker save` tarball holds, and which images to build from it:
//
// - docker's "combined" layout (image/spec/v1.2.md): manifest.json lists
//   each image's config file, RepoTags and layer files (Docker >= 25 points
//   them into blobs/sha256/, through symlinks);
// - the OCI image layout: oci-layout, index.json, blobs/<alg>/<hex>;
//   nested indexes pick linux/amd64; names come from the
//   io.containerd.image.name annotation, or a ref.name that is a full
//   reference.
// manifest.json wins when both are there, as dockerd does. Configs and
// OCI blobs are checked against their digests; the number of layers must
// equal the config's diff ids.
//
// The parsers take outside input: they never throw, and every refusal is
// kInvalidArgument naming the file and field.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_ARCHIVE_MANIFEST_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_ARCHIVE_MANIFEST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/images/disk_builder.h"
#include "attach/endpoint/images/image_config.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// One member of the uploaded tarball, by its cleaned name.
struct ArchiveMember {
  std::string file;    // Where its bytes were stored; empty for a symlink.
  uint64_t size = 0;
  std::string digest;  // "sha256:..." of its bytes.
  std::string link;    // A symlink's target (archive-relative).
};
using ArchiveMembers = std::map<std::string, ArchiveMember>;

// Reads a small stored member (JSON documents), at most `max` bytes.
using ReadMember =
    std::function<base::Result<std::string>(const ArchiveMember&, size_t max)>;

struct ImagePlan {
  std::string config_blob;
  std::string id;  // "sha256:" + sha256(config_blob)
  ImageMeta meta;
  std::vector<LayerSource> layers;  // diff_id from the config.
  std::vector<uint64_t> layer_sizes;
  std::vector<std::string> tags;          // Familiar: "busybox:latest".
  std::vector<std::string> repo_digests;  // "busybox@sha256:..." (OCI).
};

// The images in an archive, in its order.
base::Result<std::vector<ImagePlan>> PlanArchive(const ArchiveMembers& members,
                                                 const ReadMember& read);

// The pieces, exposed for tests and fuzzing.
struct DockerManifestEntry {
  std::string config;
  std::vector<std::string> repo_tags;
  std::vector<std::string> layers;
};
base::Result<std::vector<DockerManifestEntry>> ParseDockerManifest(
    std::string_view text);

struct OciDescriptor {
  std::string media_type;
  std::string digest;
  int64_t size = 0;
  std::string ref_name;    // org.opencontainers.image.ref.name
  std::string image_name;  // io.containerd.image.name
  std::string os, architecture;  // platform
};
// index.json (or a nested index): its manifests.
base::Result<std::vector<OciDescriptor>> ParseOciIndex(std::string_view text);
// An image manifest: config first, then the layers.
base::Result<std::vector<OciDescriptor>> ParseOciManifest(
    std::string_view text);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_ARCHIVE_MANIFEST_H_
