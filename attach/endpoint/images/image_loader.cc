#include "attach/endpoint/images/image_loader.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/images/archive_manifest.h"
#include "attach/endpoint/images/image_record.h"
#include "attach/endpoint/images/layer_path.h"
#include "attach/endpoint/images/sha256.h"
#include "base/unique_fd.h"

namespace attach {
namespace endpoint {
namespace {

constexpr size_t kMaxMembers = 100000;

base::Status Cancelled() { return base::Status::Unavailable("cancelled"); }

// A file being written, hashed on the way.
class HashedFile {
 public:
  static base::Result<HashedFile> Create(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return base::Status::Io("create " + path, errno);
    return HashedFile(base::UniqueFd(fd));
  }
  base::Status Write(const void* data, size_t len) {
    hash_->Update(data, len);
    const char* p = static_cast<const char*>(data);
    while (len > 0) {
      ssize_t n = ::write(fd_.get(), p, len);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return base::Status::Io("write the upload", errno);
      p += n;
      len -= static_cast<size_t>(n);
      size_ += static_cast<uint64_t>(n);
    }
    return base::Status::Ok();
  }
  std::string Digest() { return "sha256:" + hash_->Hex(); }
  uint64_t size() const { return size_; }

 private:
  explicit HashedFile(base::UniqueFd fd)
      : fd_(std::move(fd)), hash_(std::make_unique<Sha256>()) {}
  base::UniqueFd fd_;
  std::unique_ptr<Sha256> hash_;
  uint64_t size_ = 0;
};

// libarchive's view of the upload queue.
struct QueueSource {
  UploadQueue* queue;
  std::string chunk;
  static la_ssize_t OnRead(struct archive* a, void* data,
                           const void** buf) noexcept {
    auto* s = static_cast<QueueSource*>(data);
    if (!s->queue->Pop(&s->chunk)) {
      if (s->queue->cancelled()) {
        archive_set_error(a, ECANCELED, "cancelled");
        return -1;
      }
      return 0;
    }
    *buf = s->chunk.data();
    return static_cast<la_ssize_t>(s->chunk.size());
  }
};

// One member of the outer tarball into `members` (its bytes into a file
// of the job's).
base::Status StoreMember(struct archive* a, struct archive_entry* e,
                         const std::string& dir, ArchiveMembers* members) {
  const char* raw = archive_entry_pathname(e);
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> parts,
                          CleanLayerPath(raw != nullptr ? raw : ""));
  std::string name = JoinPath(parts);
  ArchiveMember m;
  if (const char* hard = archive_entry_hardlink(e)) {
    m.link = std::string("/") + hard;
  } else if (archive_entry_filetype(e) == AE_IFLNK) {
    m.link = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
  } else if (archive_entry_filetype(e) != AE_IFREG) {
    return base::Status::Ok();  // Directories and the like say nothing.
  }
  if (members->size() >= kMaxMembers) {
    return base::Status::InvalidArgument("more than 100000 files");
  }
  if (m.link.empty()) {
    m.file = dir + "/" + std::to_string(members->size());
    TETHER_ASSIGN_OR_RETURN(HashedFile f, HashedFile::Create(m.file));
    const void* buf = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int rc;
    while ((rc = archive_read_data_block(a, &buf, &size, &offset)) ==
           ARCHIVE_OK) {
      TETHER_RETURN_IF_ERROR(f.Write(buf, size));
    }
    if (rc != ARCHIVE_EOF) {
      return base::Status::InvalidArgument(archive_error_string(a));
    }
    m.size = f.size();
    m.digest = f.Digest();
  }
  (*members)[name] = std::move(m);
  return base::Status::Ok();
}

base::Result<ArchiveMembers> ReceiveArchive(const LoaderContext& ctx) {
  std::string dir = ctx.job_dir + "/members";
  TETHER_RETURN_IF_ERROR(EnsureDir(dir, 0700));
  QueueSource source{ctx.queue, {}};
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(
      archive_read_new(), archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_filter_xz(a.get());
  if (archive_read_open(a.get(), &source, nullptr, &QueueSource::OnRead,
                        nullptr) != ARCHIVE_OK) {
    if (ctx.queue->cancelled()) return Cancelled();
    return base::Status::InvalidArgument(
        std::string("not a tar archive: ") + archive_error_string(a.get()));
  }
  ArchiveMembers members;
  for (;;) {
    struct archive_entry* e = nullptr;
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (ctx.queue->cancelled()) return Cancelled();
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      return base::Status::InvalidArgument(
          std::string("the archive is broken: ") + archive_error_string(a.get()));
    }
    const char* name = archive_entry_pathname(e);
    base::Status s = StoreMember(a.get(), e, dir, &members);
    if (!s.ok()) {
      return s.Annotate(std::string("archive member \"") +
                        (name != nullptr ? name : "") + "\"");
    }
  }
  ctx.queue->Discard();  // Trailing padding, if the client sends any.
  return members;
}

base::Result<std::string> ReadSmall(const ArchiveMember& m, size_t max) {
  return ReadFile(m.file, max);
}

// A built image's directory made complete: its disk read-only, its
// config blob and record beside it.
base::Status Finalize(const std::string& dir, const ImagePlan& plan,
                      const BuiltDisk& disk, int64_t now) {
  if (::chmod((dir + "/disk.raw").c_str(), 0444) != 0) {
    return base::Status::Io("chmod disk.raw", errno);
  }
  ImageRecord record;
  record.id = plan.id;
  record.size = disk.content_bytes;
  record.disk_bytes = disk.disk_bytes;
  record.repo_digests = plan.repo_digests;
  record.loaded = now;
  TETHER_RETURN_IF_ERROR(
      WriteFileAtomic(dir + "/config.json", plan.config_blob, 0644));
  return WriteFileAtomic(dir + "/image.json", EncodeImageRecord(record), 0644);
}

// Builds one image's disk and stages it.
base::Result<StagedImage> Stage(const LoaderContext& ctx, const ImagePlan& plan,
                                const std::vector<std::string>& progress_ids) {
  StagedImage out;
  out.id = plan.id;
  out.tags = plan.tags;
  out.repo_digests = plan.repo_digests;
  if (ctx.known.count(plan.id) != 0) return out;
  out.dir = ctx.job_dir + "/out/" + plan.id.substr(7);
  TETHER_RETURN_IF_ERROR(EnsureDir(ctx.job_dir + "/out", 0700));
  TETHER_RETURN_IF_ERROR(EnsureDir(out.dir, 0700));
  BuildOptions build = ctx.build;
  build.progress = [&](size_t layer, uint64_t current, uint64_t total) {
    if (ctx.progress && layer < progress_ids.size()) {
      ctx.progress(LoadProgress{progress_ids[layer], "Loading layer", current,
                                total});
    }
  };
  TETHER_ASSIGN_OR_RETURN(BuiltDisk disk,
                          BuildDisk(plan.layers, out.dir + "/disk.raw", build));
  TETHER_RETURN_IF_ERROR(Finalize(out.dir, plan, disk, ctx.build.now));
  return out;
}

std::vector<std::string> ProgressIds(const ImagePlan& plan) {
  std::vector<std::string> ids;
  for (const LayerSource& l : plan.layers) {
    const std::string& d = l.diff_id.empty() ? l.file_digest : l.diff_id;
    ids.push_back(d.substr(7, 12));
  }
  return ids;
}

}  // namespace

base::Result<std::vector<StagedImage>> RunLoad(const LoaderContext& ctx) {
  TETHER_ASSIGN_OR_RETURN(ArchiveMembers members, ReceiveArchive(ctx));
  TETHER_ASSIGN_OR_RETURN(std::vector<ImagePlan> plans,
                          PlanArchive(members, &ReadSmall));
  std::vector<StagedImage> staged;
  for (const ImagePlan& plan : plans) {
    if (ctx.build.cancelled && ctx.build.cancelled()) return Cancelled();
    base::Result<StagedImage> s = Stage(ctx, plan, ProgressIds(plan));
    if (!s.ok()) {
      std::string name = plan.tags.empty() ? plan.id : plan.tags[0];
      return s.TakeStatus().Annotate("image " + name);
    }
    staged.push_back(std::move(*s));
  }
  return staged;
}

base::Result<std::vector<StagedImage>> RunImport(const LoaderContext& ctx,
                                                 const ImageConfig& config,
                                                 const std::string& comment,
                                                 const std::string& tag) {
  std::string upload = ctx.job_dir + "/upload";
  TETHER_ASSIGN_OR_RETURN(HashedFile f, HashedFile::Create(upload));
  std::string chunk;
  while (ctx.queue->Pop(&chunk)) {
    TETHER_RETURN_IF_ERROR(f.Write(chunk.data(), chunk.size()));
  }
  if (ctx.queue->cancelled()) return Cancelled();
  if (f.size() == 0) {
    return base::Status::InvalidArgument("the root file system tarball is empty");
  }
  ImagePlan plan;
  plan.layers.push_back(LayerSource{upload, f.Digest(), ""});
  plan.layer_sizes.push_back(f.size());
  if (!tag.empty()) plan.tags.push_back(tag);
  // The id hashes a config that names the layer's diff id, known only
  // once the layer is read: build first, name after.
  std::string tmp_dir = ctx.job_dir + "/out/import";
  TETHER_RETURN_IF_ERROR(EnsureDir(ctx.job_dir + "/out", 0700));
  TETHER_RETURN_IF_ERROR(EnsureDir(tmp_dir, 0700));
  BuildOptions build = ctx.build;
  std::string progress_id = f.Digest().substr(7, 12);
  build.progress = [&](size_t, uint64_t current, uint64_t total) {
    if (ctx.progress) {
      ctx.progress(LoadProgress{progress_id, "Importing", current, total});
    }
  };
  TETHER_ASSIGN_OR_RETURN(BuiltDisk disk,
                          BuildDisk(plan.layers, tmp_dir + "/disk.raw", build));
  plan.config_blob = ImportConfigBlob(config, disk.diff_ids[0],
                                      ctx.build.now, comment);
  plan.id = "sha256:" + Sha256Hex(plan.config_blob);
  StagedImage out;
  out.id = plan.id;
  out.tags = plan.tags;
  if (ctx.known.count(plan.id) != 0) return std::vector<StagedImage>{out};
  out.dir = ctx.job_dir + "/out/" + plan.id.substr(7);
  if (::rename(tmp_dir.c_str(), out.dir.c_str()) != 0) {
    return base::Status::Io("stage the image", errno);
  }
  TETHER_RETURN_IF_ERROR(Finalize(out.dir, plan, disk, ctx.build.now));
  return std::vector<StagedImage>{out};
}

}  // namespace endpoint
}  // namespace attach
