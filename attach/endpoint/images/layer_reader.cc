#include "attach/endpoint/images/layer_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "attach/endpoint/images/layer_path.h"
#include "attach/endpoint/images/sha256.h"

namespace attach {
namespace endpoint {
namespace {

constexpr size_t kBuffer = 256 * 1024;
constexpr uint64_t kMaxId = 0xfffffffeu;  // (uid_t)-1 means "unchanged".

// A name for messages: quoted, cut to 200 bytes.
std::string Quote(const char* name) {
  std::string n = name != nullptr ? name : "";
  if (n.size() > 200) n = n.substr(0, 200) + "...";
  return "\"" + n + "\"";
}

}  // namespace

// The bytes libarchive reads: the file itself, or what zlib inflates from
// it, hashed on the way when asked.
struct LayerReader::Source {
  base::UniqueFd fd;
  bool gzip = false;
  bool seekable = false;  // Plain and not hashed: skips may lseek.
  Sha256 hash;
  bool hashing = false;
  z_stream z{};
  bool z_open = false;
  bool in_eof = false;
  bool out_end = false;
  uint64_t consumed = 0;
  std::vector<unsigned char> in = std::vector<unsigned char>(kBuffer);
  std::vector<unsigned char> out = std::vector<unsigned char>(kBuffer);

  ~Source() {
    if (z_open) inflateEnd(&z);
  }

  // Fills `in` when it is empty. False on a read error (errno set).
  bool Refill() {
    if (z.avail_in > 0 || in_eof) return true;
    ssize_t n;
    do {
      n = ::read(fd.get(), in.data(), in.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) return false;
    if (n == 0) in_eof = true;
    consumed += static_cast<uint64_t>(n);
    z.next_in = in.data();
    z.avail_in = static_cast<uInt>(n);
    return true;
  }

  // The next piece of the uncompressed stream: its size, 0 at the end,
  // -1 with `*error` set.
  ssize_t Produce(const void** buf, std::string* error) {
    if (!gzip) {
      ssize_t n;
      do {
        n = ::read(fd.get(), in.data(), in.size());
      } while (n < 0 && errno == EINTR);
      if (n < 0) {
        *error = std::string("read: ") + std::strerror(errno);
        return -1;
      }
      consumed += static_cast<uint64_t>(n);
      if (hashing) hash.Update(in.data(), static_cast<size_t>(n));
      *buf = in.data();
      return n;
    }
    while (!out_end) {
      if (!Refill()) {
        *error = std::string("read: ") + std::strerror(errno);
        return -1;
      }
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      int rc = inflate(&z, Z_NO_FLUSH);
      size_t made = out.size() - z.avail_out;
      if (rc == Z_STREAM_END) {
        // Another gzip member may follow (pigz, concatenated files);
        // anything else after the stream is ignored, as gzip does.
        if (!Refill()) {
          *error = std::string("read: ") + std::strerror(errno);
          return -1;
        }
        if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
          inflateReset(&z);
        } else {
          out_end = true;
        }
      } else if (rc == Z_BUF_ERROR && in_eof && z.avail_in == 0) {
        *error = "gzip: truncated stream";
        return -1;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        *error = std::string("gzip: ") + (z.msg ? z.msg : "corrupt data");
        return -1;
      }
      if (made > 0) {
        if (hashing) hash.Update(out.data(), made);
        *buf = out.data();
        return static_cast<ssize_t>(made);
      }
    }
    return 0;
  }

  static la_ssize_t OnRead(struct archive* a, void* data,
                           const void** buf) noexcept {
    std::string error;
    ssize_t n = static_cast<Source*>(data)->Produce(buf, &error);
    if (n < 0) archive_set_error(a, EIO, "%s", error.c_str());
    return n;
  }

  static la_int64_t OnSkip(struct archive*, void* data,
                           la_int64_t request) noexcept {
    Source* s = static_cast<Source*>(data);
    if (!s->seekable || request <= 0) return 0;
    if (::lseek(s->fd.get(), request, SEEK_CUR) < 0) return 0;
    s->consumed += static_cast<uint64_t>(request);
    return request;
  }
};

base::Result<std::unique_ptr<LayerReader>> LayerReader::Open(base::UniqueFd fd,
                                                             bool hash) {
  unsigned char magic[6] = {};
  ssize_t n = ::pread(fd.get(), magic, sizeof(magic), 0);
  if (n < 0) return base::Status::Io("read layer", errno);
  if (n >= 4 && std::memcmp(magic, "\x28\xb5\x2f\xfd", 4) == 0) {
    return base::Status::InvalidArgument(
        "zstd-compressed layers are not supported (use gzip or none)");
  }
  if ((n >= 3 && std::memcmp(magic, "BZh", 3) == 0) ||
      (n >= 6 && std::memcmp(magic, "\xfd" "7zXZ\0", 6) == 0)) {
    return base::Status::InvalidArgument(
        "bzip2- and xz-compressed layers are not supported (use gzip or "
        "none)");
  }
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) {
    return base::Status::Io("seek the layer", errno);
  }
  std::unique_ptr<LayerReader> r(new LayerReader());
  r->source_ = std::make_unique<Source>();
  Source& s = *r->source_;
  s.fd = std::move(fd);
  s.gzip = n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  s.hashing = hash;
  s.seekable = !s.gzip && !hash;
  if (s.gzip) {
    if (inflateInit2(&s.z, 15 + 16) != Z_OK) {
      return base::Status::Internal("zlib: inflateInit2 failed");
    }
    s.z_open = true;
  }
  r->archive_ = archive_read_new();
  if (r->archive_ == nullptr) return base::Status::Internal("archive_read_new");
  archive_read_support_format_tar(r->archive_);
  archive_read_set_callback_data(r->archive_, &s);
  archive_read_set_read_callback(r->archive_, &Source::OnRead);
  archive_read_set_skip_callback(r->archive_, &Source::OnSkip);
  if (archive_read_open1(r->archive_) != ARCHIVE_OK) {
    return base::Status::InvalidArgument(
        std::string("not a tar archive: ") +
        archive_error_string(r->archive_));
  }
  return r;
}

LayerReader::~LayerReader() {
  if (archive_ != nullptr) archive_read_free(archive_);
}

bool LayerReader::gzip() const { return source_->gzip; }
uint64_t LayerReader::consumed() const { return source_->consumed; }

base::Result<bool> LayerReader::Next(LayerEntry* out) {
  struct archive_entry* e = nullptr;
  int rc = archive_read_next_header(archive_, &e);
  if (rc == ARCHIVE_EOF) return false;
  std::string where = "entry " + std::to_string(count_);
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
    const char* why = archive_error_string(archive_);
    return base::Status::InvalidArgument(
        where + ": " + (why != nullptr ? why : "broken tar header"));
  }
  where += " " + Quote(archive_entry_pathname(e));
  ++count_;
  base::Status s = Convert(e, out);
  if (!s.ok()) return base::Status::InvalidArgument(where + ": " + s.message());
  return true;
}

base::Status LayerReader::Convert(void* entry, LayerEntry* out) {
  auto* e = static_cast<struct archive_entry*>(entry);
  const char* name = archive_entry_pathname(e);
  if (name == nullptr) {
    return base::Status::InvalidArgument("name cannot be read");
  }
  TETHER_ASSIGN_OR_RETURN(std::vector<std::string> parts,
                          CleanLayerPath(name));
  *out = LayerEntry();
  out->path = JoinPath(parts);
  if (archive_entry_sparse_count(e) > 0) {
    return base::Status::InvalidArgument(
        "sparse files are not supported (a huge sparse file would fill the "
        "disk)");
  }
  int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);
  if (uid < 0 || gid < 0 || static_cast<uint64_t>(uid) > kMaxId ||
      static_cast<uint64_t>(gid) > kMaxId) {
    return base::Status::InvalidArgument("owner out of range");
  }
  out->uid = static_cast<uint32_t>(uid);
  out->gid = static_cast<uint32_t>(gid);
  out->mode = archive_entry_perm(e) & 07777;
  out->mtime = archive_entry_mtime(e);
  out->mtime_ns = static_cast<uint32_t>(archive_entry_mtime_nsec(e));
  out->atime = archive_entry_atime_is_set(e) ? archive_entry_atime(e)
                                             : out->mtime;
  out->atime_ns = archive_entry_atime_is_set(e)
                      ? static_cast<uint32_t>(archive_entry_atime_nsec(e))
                      : out->mtime_ns;
  if (const char* hard = archive_entry_hardlink(e)) {
    TETHER_ASSIGN_OR_RETURN(std::vector<std::string> target,
                            CleanLayerPath(hard));
    if (target.empty()) {
      return base::Status::InvalidArgument("hard link to the root");
    }
    out->type = EntryType::kHardlink;
    out->link = JoinPath(target);
    return base::Status::Ok();
  }
  switch (archive_entry_filetype(e)) {
    case AE_IFREG: {
      int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
      if (size < 0) return base::Status::InvalidArgument("negative size");
      out->type = EntryType::kFile;
      out->size = static_cast<uint64_t>(size);
      break;
    }
    case AE_IFDIR:
      out->type = EntryType::kDir;
      break;
    case AE_IFLNK: {
      const char* target = archive_entry_symlink(e);
      if (target == nullptr || target[0] == '\0') {
        return base::Status::InvalidArgument("symlink without a target");
      }
      out->link = target;
      if (out->link.size() > kMaxPathBytes) {
        return base::Status::InvalidArgument("symlink target too long");
      }
      if (!SymlinkStaysInside(parts, out->link)) {
        return base::Status::InvalidArgument(
            "invalid symlink \"" + out->path + "\" -> \"" + out->link +
            "\": it points outside the image root");
      }
      out->type = EntryType::kSymlink;
      break;
    }
    case AE_IFCHR:
    case AE_IFBLK:
      out->type = archive_entry_filetype(e) == AE_IFCHR ? EntryType::kChar
                                                        : EntryType::kBlock;
      out->dev_major = static_cast<uint32_t>(archive_entry_rdevmajor(e));
      out->dev_minor = static_cast<uint32_t>(archive_entry_rdevminor(e));
      if (out->dev_major > 0xfff || out->dev_minor > 0xfffff) {
        return base::Status::InvalidArgument("device number out of range");
      }
      break;
    case AE_IFIFO:
      out->type = EntryType::kFifo;
      break;
    default:
      return base::Status::InvalidArgument("unsupported file type");
  }
  if (out->path.empty() && out->type != EntryType::kDir) {
    return base::Status::InvalidArgument("the root must be a directory");
  }
  archive_entry_xattr_reset(e);
  const char* xname = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  while (archive_entry_xattr_next(e, &xname, &value, &size) == ARCHIVE_OK) {
    if (xname == nullptr || xname[0] == '\0' || size > 65536) {
      return base::Status::InvalidArgument("bad extended attribute");
    }
    out->xattrs.emplace_back(
        xname, std::string(static_cast<const char*>(value), size));
  }
  return base::Status::Ok();
}

base::Result<size_t> LayerReader::Read(char* buf, size_t len) {
  la_ssize_t n = archive_read_data(archive_, buf, len);
  if (n < 0) {
    const char* why = archive_error_string(archive_);
    return base::Status::InvalidArgument(
        "entry " + std::to_string(count_ - 1) + ": " +
        (why != nullptr ? why : "cannot read its data"));
  }
  return static_cast<size_t>(n);
}

base::Result<std::string> LayerReader::Finish() {
  if (!source_->hashing) {
    return base::Status::Internal("layer read without a hash");
  }
  std::string error;
  const void* buf = nullptr;
  for (;;) {
    ssize_t n = source_->Produce(&buf, &error);
    if (n < 0) return base::Status::InvalidArgument(error);
    if (n == 0) break;
  }
  return "sha256:" + source_->hash.Hex();
}

}  // namespace endpoint
}  // namespace attach
