// The images attachd can run containers from, as docker's image list sees
// them. Today that is the root file system inside the VM image (the
// busybox container image `make initramfs` builds), listed as
// `busybox:latest`; loaded and imported images join it (docs/attachd.md).
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_STORE_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace attach {
namespace endpoint {

// What an image says about the containers made from it (the OCI image
// config's `config`), merged into create as docker does.
struct ImageConfig {
  std::vector<std::string> env;  // "K=V"
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  std::string workdir;
  std::string user;
  std::vector<std::string> exposed_ports;  // "80/tcp"
  std::map<std::string, std::string> labels;
};

struct Image {
  std::string id;                      // "sha256:<64 hex>"
  std::vector<std::string> repo_tags;  // Familiar: "busybox:latest".
  int64_t created = 0;                 // Epoch seconds.
  uint64_t size = 0;                   // Bytes.
  ImageConfig config;
  // Its root file system as a disk the VM boots; empty: the VM image's
  // own root (the built-in image).
  std::string disk;
};

// The VM image's root as an image: `busybox:latest`, its id derived from
// the VM image's initramfs (`initrd`) so it changes when that does. A
// missing initramfs still names an image (created 0, size 0): the VMs
// that would boot it fail with their own error.
Image BuiltinImage(const std::string& initrd);

class ImageStore {
 public:
  explicit ImageStore(Image builtin);
  ImageStore(const ImageStore&) = delete;
  ImageStore& operator=(const ImageStore&) = delete;

  // By reference (normalised as docker does: "busybox" is
  // "busybox:latest"), by full id, or by a unique id prefix.
  // kNotFound "No such image: busybox:latest", kInvalidArgument for a
  // malformed reference (docker's words).
  base::Result<const Image*> Find(const std::string& ref) const;
  // Newest first.
  std::vector<const Image*> All() const;

 private:
  std::map<std::string, std::unique_ptr<Image>> by_id_;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_STORE_H_
