// One `docker load` or `docker import` in progress: the bytes arrive on
// the loop thread (an HTTP body, tetherctl's frames) in pieces, a worker
// thread stores and unpacks them and builds the base disks, and progress
// and the result come back on the loop thread. attachd serves everyone
// else meanwhile.
//
// Made by ImageStore::StartLoad / StartImport; must not outlive the
// store. Loop thread only (the worker is internal).
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_UPLOAD_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_UPLOAD_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "attach/endpoint/images/image_loader.h"
#include "base/result.h"
#include "base/uv_handle.h"

namespace attach {
namespace endpoint {

class ImageStore;

// What a finished load says, in docker's words, one line each:
// "Loaded image: busybox:latest" (per tag), "Loaded image ID: sha256:..."
// (an untagged image), "The image busybox:latest already exists, renaming
// the old one with ID sha256:... to empty string"; for an import, the id.
struct LoadResult {
  std::vector<std::string> ids;
  std::vector<std::string> lines;
};

class ImageUpload {
 public:
  struct Callbacks {
    // A layer's progress (coalesced: the newest per layer at each wake-up).
    std::function<void(const LoadProgress&)> progress;
    // Write returned false earlier and there is room again.
    std::function<void()> writable;
    // The end, once: the images are in the store (or nothing changed and
    // the error says why: kInvalidArgument for a refused archive, kIoError
    // or kUnavailable "not enough disk space" for the host). The upload
    // may be destroyed from inside.
    std::function<void(base::Result<LoadResult>)> done;
  };

  // Cancels a load that has not finished: the worker stops at its next
  // check and removes what it wrote. No callback runs after this.
  ~ImageUpload();
  ImageUpload(const ImageUpload&) = delete;
  ImageUpload& operator=(const ImageUpload&) = delete;

  // The next piece of the upload. False when the caller should stop
  // reading its source until `writable` (the bytes were taken).
  bool Write(std::string_view data);
  // The upload is complete.
  void Finish();

  struct Shared;

 private:
  friend class ImageStore;
  ImageUpload(uv_loop_t* loop, ImageStore* store, Callbacks callbacks,
              bool import);
  base::Status Start(std::function<base::Result<std::vector<StagedImage>>(
                         const LoaderContext&)> work,
                     LoaderContext ctx);
  static void OnAsync(uv_async_t* h) noexcept;
  void Drain();

  ImageStore* store_;
  Callbacks callbacks_;
  bool import_;
  std::shared_ptr<Shared> shared_;
  std::thread worker_;
  base::UvHandle<uv_async_t> async_;
  bool done_ = false;
};

}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_IMAGE_UPLOAD_H_
