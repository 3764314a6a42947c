// The images attachd can run containers from, as docker's image commands
// see them: the root file system inside the VM image (the busybox
// container image `make initramfs` builds), listed as `busybox:latest`,
// and the images loaded (`docker load`) or imported (`docker import`)
// into <state-dir>/images/ (image_record.h; docs/images.md):
//   images/sha256/<hex>/    one per image: config.json, image.json and
//                           disk.raw, its read-only base disk
//   images/repositories.json  the tags
//   images/tmp/             loads in progress (emptied at start)
//
// Content-addressed: an image's id is the sha256 of its config blob, and
// loading an image the store has only moves tags. Loop thread only; loads
// run on worker threads (image_upload.h).
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_STORE_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_STORE_H_

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "attach/endpoint/images/disk_builder.h"
#include "attach/endpoint/images/image_config.h"
#include "attach/endpoint/images/image_upload.h"
#include "base/result.h"

namespace attach {
namespace endpoint {

struct Image {
  std::string id;                         // "sha256:<64 hex>"
  std::vector<std::string> repo_tags;     // Familiar: "busybox:latest".
  std::vector<std::string> repo_digests;  // "busybox@sha256:..."
  int64_t created = 0;                    // Epoch seconds.
  std::string created_text;  // RFC 3339, as the config says it.
  uint64_t size = 0;         // Bytes of its files.
  ImageConfig config;
  std::string architecture = "amd64";
  std::string os = "linux";
  std::string author;
  std::string comment;
  std::vector<std::string> layers;  // DiffIDs.
  // Its base disk (raw ext4, read-only), which containers' overlays are
  // made on; empty: the VM image's own root (the built-in image).
  std::string disk;
  uint64_t disk_bytes = 0;
  // The config blob (config.json) verbatim; empty for the built-in one.
  std::string config_blob;
};

// The VM image's root as an image: `busybox:latest`, its id derived from
// the VM image's initramfs (`initrd`) so it changes when that does (from
// its path alone while it does not exist: the VMs that would boot it fail
// with their own error).
Image BuiltinImage(const std::string& initrd);

// What `docker pull` (POST /images/create?fromImage=) answers: never a
// 401, which would make the CLI ask for a login.
constexpr char kNoRegistry[] =
    "attachd has no registry access; use 'docker load' or 'docker import'";

struct StoreOptions {
  LayerLimits limits;
  uint64_t min_disk_bytes = kDefaultMinDiskBytes;
};

// `docker import` options: the image's tag ("" for none; normalised),
// its --change lines and --message.
struct ImportOptions {
  std::string tag;
  std::vector<std::string> changes;
  std::string message;
};

// A container using an image, for rmi's conflicts.
struct ImageUser {
  std::string container_id;
  bool running = false;
};
using ImageUsers = std::function<std::vector<ImageUser>(const std::string&)>;

class ImageStore {
 public:
  // A store of the built-in image alone, with nowhere to load to (tests).
  explicit ImageStore(Image builtin);
  // Opens <state_dir>/images (created 0700) and reads every image in it
  // (a broken one is skipped with a warning) and the tags. The built-in
  // image keeps busybox:latest unless a loaded image took the tag.
  // kIoError when the directory cannot be made.
  static base::Result<std::unique_ptr<ImageStore>> Open(
      uv_loop_t* loop, const std::string& state_dir, Image builtin,
      StoreOptions options = StoreOptions());
  // Empties images/tmp: what loads of an attachd that died left. Only once
  // this attachd is the state directory's one (its client socket is the
  // lock), or it would pull the files from under another's loads.
  base::Status RemoveLeftovers();

  // Waits for the workers of cancelled uploads.
  ~ImageStore();
  ImageStore(const ImageStore&) = delete;
  ImageStore& operator=(const ImageStore&) = delete;

  // By reference (normalised as docker does: "busybox" is
  // "busybox:latest"), by full id, or by a unique id prefix.
  // kNotFound "No such image: busybox:latest", kInvalidArgument for a
  // malformed reference (docker's words).
  base::Result<const Image*> Find(const std::string& ref) const;
  // Newest first.
  std::vector<const Image*> All() const;

  // docker tag SOURCE TARGET: TARGET (normalised; not a digest) names
  // SOURCE's image, leaving whatever image it named before.
  base::Status Tag(const std::string& source, const std::string& target);

  // docker rmi: the lines docker prints ("Untagged: busybox:latest",
  // "Deleted: sha256:..."). A name with other names left is only untagged.
  // kConflict in docker's words when containers use the image (running
  // ones even with `force`), when an id names an image with several tags
  // without `force`, and for the built-in image. A forced removal of an
  // image stopped containers use untags it but keeps its disk for them.
  base::Result<std::vector<std::string>> Remove(const std::string& ref,
                                                bool force,
                                                const ImageUsers& users);

  // Starts a load or an import; the upload is the caller's. kUnavailable
  // for a store without a directory; kInvalidArgument for a bad tag or
  // change (import), before any byte is read.
  base::Result<std::unique_ptr<ImageUpload>> StartLoad(
      ImageUpload::Callbacks callbacks);
  base::Result<std::unique_ptr<ImageUpload>> StartImport(
      const ImportOptions& options, ImageUpload::Callbacks callbacks);

  const std::string& dir() const { return dir_; }

 private:
  friend class ImageUpload;
  base::Status ReadImages();
  base::Result<std::unique_ptr<ImageUpload>> NewUpload(
      ImageUpload::Callbacks callbacks, bool import, LoaderContext* ctx);
  // Moves staged images into place and applies their tags.
  base::Result<LoadResult> Commit(const std::vector<StagedImage>& staged,
                                  bool import);
  // Keeps a cancelled upload's worker until it has finished.
  void Retire(std::thread worker, std::string job_dir,
              std::function<bool()> finished);
  // Points `tag` at `id`; the line docker prints when it moved.
  std::string SetTag(const std::string& tag, const std::string& id);
  void SyncTags();
  base::Status SaveTags();

  uv_loop_t* loop_ = nullptr;
  std::string dir_;  // <state-dir>/images; empty: no loads.
  StoreOptions options_;
  std::string builtin_id_;
  std::map<std::string, std::unique_ptr<Image>> by_id_;
  std::map<std::string, std::string> tags_;  // Familiar tag -> id.
  struct Retired {
    std::thread worker;
    std::string job_dir;
    std::function<bool()> finished;
  };
  std::vector<Retired> retired_;
  uint64_t next_job_ = 0;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_STORE_H_
