#include "attach/endpoint/images/image_store.h"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include "attach/endpoint/images/reference.h"

namespace attach {
namespace endpoint {
namespace {

// busybox's own image config (docker.io/library/busybox).
constexpr char kDefaultPath[] =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof(buf), "%02x", md[i]);
    hex += buf;
  }
  return hex;
}

}  // namespace

Image BuiltinImage(const std::string& initrd) {
  struct stat st = {};
  (void)::stat(initrd.c_str(), &st);
  Image image;
  // The initramfs can be tens of MiB: its identity is its path, size and
  // time, which change whenever `make initramfs` rebuilds it.
  image.id = "sha256:" + Sha256Hex(initrd + "\n" + std::to_string(st.st_size) +
                                   "\n" + std::to_string(st.st_mtime));
  image.repo_tags = {"busybox:latest"};
  image.created = st.st_mtime;
  image.size = static_cast<uint64_t>(st.st_size);
  image.config.env = {kDefaultPath};
  image.config.cmd = {"sh"};
  return image;
}

ImageStore::ImageStore(Image builtin) {
  std::string id = builtin.id;
  by_id_[id] = std::make_unique<Image>(std::move(builtin));
}

base::Result<const Image*> ImageStore::Find(const std::string& ref) const {
  base::Result<std::string> name = NormalizeReference(ref);
  if (name.ok()) {
    for (const auto& [id, image] : by_id_) {
      const std::vector<std::string>& tags = image->repo_tags;
      if (std::find(tags.begin(), tags.end(), *name) != tags.end()) {
        return image.get();
      }
    }
  }
  if (LooksLikeImageId(ref)) {
    std::string want = ref.rfind("sha256:", 0) == 0 ? ref : "sha256:" + ref;
    const Image* found = nullptr;
    for (const auto& [id, image] : by_id_) {
      if (id.compare(0, want.size(), want) != 0) continue;
      if (found != nullptr) {
        return base::Status::InvalidArgument(
            "multiple IDs found with provided prefix: " + ref);
      }
      found = image.get();
    }
    if (found != nullptr) return found;
  }
  if (!name.ok()) return name.status();
  return base::Status::NotFound("No such image: " + *name);
}

std::vector<const Image*> ImageStore::All() const {
  std::vector<const Image*> all;
  for (const auto& [id, image] : by_id_) all.push_back(image.get());
  std::sort(all.begin(), all.end(), [](const Image* a, const Image* b) {
    return a->created > b->created;
  });
  return all;
}

}  // namespace endpoint
}  // namespace attach
