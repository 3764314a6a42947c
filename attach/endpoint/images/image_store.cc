#include "attach/endpoint/images/image_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/images/image_record.h"
#include "attach/endpoint/images/reference.h"
#include "attach/endpoint/images/sha256.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

// busybox's own image config (docker.io/library/busybox).
constexpr char kDefaultPath[] =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr char kBuiltinTag[] = "busybox:latest";

std::string Short(const std::string& id) { return id.substr(7, 12); }

// An image of the store from its directory.
base::Result<Image> ReadImage(const std::string& dir) {
  TETHER_ASSIGN_OR_RETURN(std::string text, ReadFile(dir + "/image.json"));
  TETHER_ASSIGN_OR_RETURN(ImageRecord record, DecodeImageRecord(text));
  Image image;
  TETHER_ASSIGN_OR_RETURN(image.config_blob,
                          ReadFile(dir + "/config.json", 16 << 20));
  if ("sha256:" + Sha256Hex(image.config_blob) != record.id) {
    return base::Status::InvalidArgument("config.json does not match its id");
  }
  TETHER_ASSIGN_OR_RETURN(ImageMeta meta, ParseImageConfig(image.config_blob));
  image.id = record.id;
  image.repo_digests = record.repo_digests;
  image.created = meta.created_unix;
  image.created_text = meta.created;
  image.size = record.size;
  image.config = meta.config;
  if (!meta.architecture.empty()) image.architecture = meta.architecture;
  if (!meta.os.empty()) image.os = meta.os;
  image.author = meta.author;
  image.comment = meta.comment;
  image.layers = meta.diff_ids;
  image.disk = dir + "/disk.raw";
  image.disk_bytes = record.disk_bytes;
  if (::access(image.disk.c_str(), R_OK) != 0) {
    return base::Status::Io("disk.raw", errno);
  }
  return image;
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
  image.repo_tags = {kBuiltinTag};
  image.created = st.st_mtime;
  image.created_text = FormatRfc3339(st.st_mtime);
  image.size = static_cast<uint64_t>(st.st_size);
  image.config.env = {kDefaultPath};
  image.config.cmd = {"sh"};
  return image;
}

ImageStore::ImageStore(Image builtin) {
  builtin_id_ = builtin.id;
  for (const std::string& t : builtin.repo_tags) tags_[t] = builtin_id_;
  by_id_[builtin_id_] = std::make_unique<Image>(std::move(builtin));
  SyncTags();
}

base::Result<std::unique_ptr<ImageStore>> ImageStore::Open(
    uv_loop_t* loop, const std::string& state_dir, Image builtin,
    StoreOptions options) {
  std::unique_ptr<ImageStore> s(new ImageStore(std::move(builtin)));
  s->loop_ = loop;
  s->options_ = options;
  s->dir_ = state_dir + "/images";
  TETHER_RETURN_IF_ERROR(EnsureDir(s->dir_, 0700));
  TETHER_RETURN_IF_ERROR(EnsureDir(s->dir_ + "/sha256", 0700));
  TETHER_RETURN_IF_ERROR(EnsureDir(s->dir_ + "/tmp", 0700));
  TETHER_RETURN_IF_ERROR(s->ReadImages());
  return s;
}

base::Status ImageStore::ReadImages() {
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> names,
                          ListDir(dir_ + "/sha256"));
  for (const std::string& hex : names) {
    base::Result<Image> image = ReadImage(dir_ + "/sha256/" + hex);
    if (!image.ok() || image->id != "sha256:" + hex) {
      LOG_WARN("image %s skipped: %s", hex.substr(0, 12).c_str(),
               image.ok() ? "its id does not match its directory"
                          : image.status().ToString().c_str());
      continue;
    }
    std::string id = image->id;
    by_id_[id] = std::make_unique<Image>(std::move(*image));
  }
  base::Result<std::string> text = ReadFile(dir_ + "/repositories.json");
  if (!text.ok()) {
    if (text.status().code() != base::Status::Code::kNotFound) {
      LOG_WARN("image tags: %s", text.status().ToString().c_str());
    }
    return base::Status::Ok();
  }
  base::Result<std::map<std::string, std::string>> tags = DecodeTags(*text);
  if (!tags.ok()) {
    LOG_WARN("image tags: %s", tags.status().ToString().c_str());
    return base::Status::Ok();
  }
  for (const auto& [tag, id] : *tags) {
    if (by_id_.count(id) != 0) tags_[tag] = id;
  }
  SyncTags();
  return base::Status::Ok();
}

base::Status ImageStore::RemoveLeftovers() {
  if (dir_.empty()) return base::Status::Ok();
  TETHER_RETURN_IF_ERROR(RemoveTree(dir_ + "/tmp"));
  return EnsureDir(dir_ + "/tmp", 0700);
}

ImageStore::~ImageStore() {
  for (Retired& r : retired_) {
    if (r.worker.joinable()) r.worker.join();
    (void)RemoveTree(r.job_dir);
  }
}

void ImageStore::SyncTags() {
  for (auto& [id, image] : by_id_) image->repo_tags.clear();
  for (const auto& [tag, id] : tags_) {
    auto it = by_id_.find(id);
    if (it != by_id_.end()) it->second->repo_tags.push_back(tag);
  }
}

base::Status ImageStore::SaveTags() {
  if (dir_.empty()) return base::Status::Ok();
  std::map<std::string, std::string> saved = tags_;
  // The built-in image's id changes with the VM image: its tags are not
  // state (it gets busybox:latest back when no loaded image holds it).
  for (auto t = saved.begin(); t != saved.end();) {
    t = t->second == builtin_id_ ? saved.erase(t) : std::next(t);
  }
  return WriteFileAtomic(dir_ + "/repositories.json", EncodeTags(saved), 0600);
}

std::string ImageStore::SetTag(const std::string& tag, const std::string& id) {
  std::string line;
  auto it = tags_.find(tag);
  if (it != tags_.end() && it->second != id) {
    line = "The image " + tag + " already exists, renaming the old one with "
           "ID " + it->second + " to empty string";
  }
  tags_[tag] = id;
  return line;
}

base::Result<const Image*> ImageStore::Find(const std::string& ref) const {
  base::Result<std::string> name = NormalizeReference(ref);
  if (name.ok()) {
    auto it = tags_.find(*name);
    if (it != tags_.end()) return by_id_.at(it->second).get();
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
    return a->created != b->created ? a->created > b->created : a->id < b->id;
  });
  return all;
}

base::Status ImageStore::Tag(const std::string& source,
                             const std::string& target) {
  TETHER_ASSIGN_OR_RETURN(const Image* image, Find(source));
  TETHER_ASSIGN_OR_RETURN(std::string name, NormalizeReference(target));
  if (name.find('@') != std::string::npos) {
    return base::Status::InvalidArgument(
        "refusing to create a tag with a digest reference");
  }
  (void)SetTag(name, image->id);
  SyncTags();
  return SaveTags();
}

base::Result<std::vector<std::string>> ImageStore::Remove(
    const std::string& ref, bool force, const ImageUsers& users) {
  TETHER_ASSIGN_OR_RETURN(const Image* found, Find(ref));
  const std::string id = found->id;
  base::Result<std::string> name = NormalizeReference(ref);
  bool by_name = name.ok() && tags_.count(*name) != 0 && tags_[*name] == id;
  std::vector<ImageUser> used = users ? users(id) : std::vector<ImageUser>();
  auto running = std::find_if(used.begin(), used.end(),
                              [](const ImageUser& u) { return u.running; });
  std::vector<std::string> lines;
  if (by_name && found->repo_tags.size() > 1) {
    tags_.erase(*name);
    lines.push_back("Untagged: " + *name);
  } else {
    if (id == builtin_id_) {
      return base::Status::Conflict(
          "conflict: unable to delete " + Short(id) +
          " (cannot be forced) - it is the VM image's own root file system");
    }
    if (running != used.end()) {
      return base::Status::Conflict(
          "conflict: unable to delete " + Short(id) +
          " (cannot be forced) - image is being used by running container " +
          running->container_id.substr(0, 12));
    }
    if (!force && !used.empty()) {
      return base::Status::Conflict(
          by_name ? "conflict: unable to remove repository reference \"" +
                        ref + "\" (must force) - container " +
                        used[0].container_id.substr(0, 12) +
                        " is using its referenced image " + Short(id)
                  : "conflict: unable to delete " + Short(id) +
                        " (must be forced) - image is being used by stopped "
                        "container " + used[0].container_id.substr(0, 12));
    }
    if (!by_name && !force && found->repo_tags.size() > 1) {
      return base::Status::Conflict(
          "conflict: unable to delete " + Short(id) +
          " (must be forced) - image is referenced in multiple repositories");
    }
    for (const std::string& t : found->repo_tags) {
      tags_.erase(t);
      lines.push_back("Untagged: " + t);
    }
    if (used.empty()) {
      std::string dir = found->disk.substr(0, found->disk.rfind('/'));
      by_id_.erase(id);
      base::Status s = RemoveTree(dir);
      if (!s.ok()) LOG_WARN("image %s: %s", Short(id).c_str(), s.ToString().c_str());
      lines.push_back("Deleted: " + id);
    }
  }
  SyncTags();
  TETHER_RETURN_IF_ERROR(SaveTags());
  return lines;
}

base::Result<LoadResult> ImageStore::Commit(
    const std::vector<StagedImage>& staged, bool import) {
  LoadResult result;
  for (const StagedImage& s : staged) {
    if (by_id_.count(s.id) == 0) {
      if (s.dir.empty()) {
        return base::Status::Internal("image " + s.id + " vanished");
      }
      std::string dest = dir_ + "/sha256/" + s.id.substr(7);
      (void)RemoveTree(dest);  // A leftover of a crash between renames.
      if (::rename(s.dir.c_str(), dest.c_str()) != 0) {
        return base::Status::Io("store image " + Short(s.id), errno);
      }
      TETHER_ASSIGN_OR_RETURN(Image image, ReadImage(dest));
      by_id_[s.id] = std::make_unique<Image>(std::move(image));
    }
    result.ids.push_back(s.id);
    for (const std::string& tag : s.tags) {
      std::string moved = SetTag(tag, s.id);
      if (!moved.empty()) result.lines.push_back(moved);
      if (!import) result.lines.push_back("Loaded image: " + tag);
    }
    if (import) {
      result.lines.push_back(s.id);
    } else if (s.tags.empty()) {
      result.lines.push_back("Loaded image ID: " + s.id);
    }
  }
  SyncTags();
  TETHER_RETURN_IF_ERROR(SaveTags());
  return result;
}

}  // namespace endpoint
}  // namespace attach
