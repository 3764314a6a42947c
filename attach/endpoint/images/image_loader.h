// The worker thread's side of a load or an import: receive the upload
// from an UploadQueue into the job's directory, decide what to build,
// build each new image's base disk, and stage every image in
// <job>/out/<hex>/ (image_record.h) for the store to move into place on
// the loop thread. Nothing outside the job directory is touched, so a
// refused or cancelled load leaves nothing behind once that directory is
// removed.
//
// Blocking; runs on the job's worker thread only.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_LOADER_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_LOADER_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "attach/endpoint/images/disk_builder.h"
#include "attach/endpoint/images/image_config.h"
#include "attach/endpoint/images/upload_queue.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

// docker's progress message for a layer (JSONMessage): {"status":
// "Loading layer", "progressDetail": {"current", "total"}, "id": <12 hex
// of its diff id>}.
struct LoadProgress {
  std::string id;
  std::string status;
  uint64_t current = 0;
  uint64_t total = 0;
};

// An image ready to be committed: `dir` holds config.json, image.json and
// disk.raw; empty when the store has the image already.
struct StagedImage {
  std::string id;
  std::string dir;
  std::vector<std::string> tags;
  std::vector<std::string> repo_digests;
};

struct LoaderContext {
  std::string job_dir;            // Exists, empty, ours.
  UploadQueue* queue = nullptr;   // The upload.
  std::set<std::string> known;    // Ids the store has: not built again.
  BuildOptions build;             // Limits, sizes, cancellation.
  std::function<void(const LoadProgress&)> progress;
};

// docker load: a docker-save or OCI tarball (optionally gzip/bzip2/xz).
base::Result<std::vector<StagedImage>> RunLoad(const LoaderContext& ctx);

// docker import: a root file system tarball (optionally gzip) as one
// layer, with `config` (already changed by --change) and `comment`.
// `tag` (familiar, may be empty) is the image's one tag.
base::Result<std::vector<StagedImage>> RunImport(const LoaderContext& ctx,
                                                 const ImageConfig& config,
                                                 const std::string& comment,
                                                 const std::string& tag);

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_LOADER_H_
