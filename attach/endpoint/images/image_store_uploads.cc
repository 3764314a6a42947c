// ImageStore: starting loads and imports, and the workers of cancelled
// ones.
#include <ctime>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/images/image_store.h"
#include "attach/endpoint/images/import_changes.h"
#include "attach/endpoint/images/reference.h"

namespace attach {
namespace endpoint {

base::Result<std::unique_ptr<ImageUpload>> ImageStore::NewUpload(
    ImageUpload::Callbacks callbacks, bool import, LoaderContext* ctx) {
  if (dir_.empty() || loop_ == nullptr) {
    return base::Status::Unavailable("this attachd keeps no images");
  }
  // Workers of cancelled uploads that have finished by now.
  for (auto it = retired_.begin(); it != retired_.end();) {
    if (!it->finished()) {
      ++it;
      continue;
    }
    it->worker.join();
    (void)RemoveTree(it->job_dir);
    it = retired_.erase(it);
  }
  ctx->job_dir = dir_ + "/tmp/" + std::to_string(::time(nullptr)) + "-" +
                 std::to_string(next_job_++);
  TETHER_RETURN_IF_ERROR(EnsureDir(ctx->job_dir, 0700));
  for (const auto& [id, image] : by_id_) {
    if (!image->disk.empty()) ctx->known.insert(id);
  }
  ctx->build.limits = options_.limits;
  ctx->build.min_disk_bytes = options_.min_disk_bytes;
  ctx->build.now = static_cast<int64_t>(::time(nullptr));
  return std::unique_ptr<ImageUpload>(
      new ImageUpload(loop_, this, std::move(callbacks), import));
}

base::Result<std::unique_ptr<ImageUpload>> ImageStore::StartLoad(
    ImageUpload::Callbacks callbacks) {
  LoaderContext ctx;
  TETHER_ASSIGN_OR_RETURN(std::unique_ptr<ImageUpload> upload,
                          NewUpload(std::move(callbacks), false, &ctx));
  TETHER_RETURN_IF_ERROR(upload->Start(&RunLoad, std::move(ctx)));
  return upload;
}

base::Result<std::unique_ptr<ImageUpload>> ImageStore::StartImport(
    const ImportOptions& options, ImageUpload::Callbacks callbacks) {
  std::string tag;
  if (!options.tag.empty()) {
    TETHER_ASSIGN_OR_RETURN(tag, NormalizeReference(options.tag));
    if (tag.find('@') != std::string::npos) {
      return base::Status::InvalidArgument(
          "refusing to create a tag with a digest reference");
    }
  }
  ImageConfig config;
  TETHER_RETURN_IF_ERROR(ApplyChanges(options.changes, &config));
  LoaderContext ctx;
  TETHER_ASSIGN_OR_RETURN(std::unique_ptr<ImageUpload> upload,
                          NewUpload(std::move(callbacks), true, &ctx));
  std::string comment = options.message;
  auto work = [config, comment, tag](const LoaderContext& c) {
    return RunImport(c, config, comment, tag);
  };
  TETHER_RETURN_IF_ERROR(upload->Start(work, std::move(ctx)));
  return upload;
}

void ImageStore::Retire(std::thread worker, std::string job_dir,
                        std::function<bool()> finished) {
  retired_.push_back(
      Retired{std::move(worker), std::move(job_dir), std::move(finished)});
}

}  // namespace endpoint
}  // namespace attach
