#include "attach/endpoint/images/disk_builder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "attach/endpoint/images/ext4_writer.h"
#include "attach/endpoint/images/layer_reader.h"
#include "attach/endpoint/images/tool_process.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace {

constexpr uint64_t kBlock = 4096;
constexpr uint64_t kMiB = 1 << 20;
constexpr uint64_t kInodeSize = 256;
// Journal, group descriptors, bitmaps, resize reserve: mke2fs's share of
// a file system of up to some GiB, generously.
constexpr uint64_t kFsOverhead = 192 * kMiB;
// Inodes beyond the image's own, for what its containers create.
constexpr uint64_t kSpareInodes = 65536;
constexpr uint64_t kBytesPerInode = 16384;  // mke2fs's default ratio.

base::Result<base::UniqueFd> OpenLayer(const LayerSource& l) {
  int fd = ::open(l.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return base::Status::Io("open " + l.path, errno);
  return base::UniqueFd(fd);
}

bool IsGzip(int fd) {
  unsigned char m[2] = {};
  return ::pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

base::Status Cancelled() { return base::Status::Unavailable("cancelled"); }

int64_t MonoMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Pass 1: layer `index` into `tree`; its DiffID.
base::Result<std::string> Scan(const LayerSource& l, uint32_t index,
                               const BuildOptions& o, LayerTree* tree) {
  TETHER_ASSIGN_OR_RETURN(base::UniqueFd fd, OpenLayer(l));
  bool gzip = IsGzip(fd.get());
  TETHER_ASSIGN_OR_RETURN(std::unique_ptr<LayerReader> r,
                          LayerReader::Open(std::move(fd), gzip));
  LayerEntry e;
  for (;;) {
    if (o.cancelled && o.cancelled()) return Cancelled();
    TETHER_ASSIGN_OR_RETURN(bool more, r->Next(&e));
    if (!more) break;
    base::Status s = tree->Apply(e, index, r->count() - 1);
    if (!s.ok()) {
      return s.Annotate("entry " + std::to_string(r->count() - 1) + " \"" +
                        e.path + "\"");
    }
  }
  if (!gzip) return l.file_digest;
  return r->Finish();
}

// Blocks the image's files need, over-estimated: whole blocks per file,
// a block per directory per ~100 names, long symlinks, xattr blocks.
uint64_t BlocksNeeded(const LayerTree& tree) {
  uint64_t blocks = 0;
  (void)tree.Walk([&](const LayerTree::WalkStep& s) {
    const LayerTree::Inode& n = tree.inode(s.id);
    if (!s.first) return base::Status::Ok();
    if (n.meta.type == EntryType::kFile) {
      uint64_t b = (n.meta.size + kBlock - 1) / kBlock;
      blocks += b + b / 300 + 1;  // Extent tree blocks for fragmented ones.
    } else if (n.meta.type == EntryType::kDir) {
      blocks += 1 + n.children.size() / 100 + n.children.size() / 4096;
    } else if (n.meta.type == EntryType::kSymlink && n.meta.link.size() >= 60) {
      blocks += 1;
    }
    if (!n.meta.xattrs.empty()) blocks += 1;
    return base::Status::Ok();
  });
  return blocks;
}

base::Status Format(const std::string& path, uint64_t bytes, uint64_t inodes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return base::Status::Io("create " + path, errno);
  base::UniqueFd file(fd);
  if (::ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    return base::Status::Io("size " + path, errno);
  }
  file.Reset();
  // lazy_itable_init=0: the inode tables are zeroed now (as holes), so
  // the guest kernel has nothing to initialise in each container's
  // overlay; the journal's zeros are left to the holes of the file.
  return RunTool({"mke2fs", "-q", "-F", "-t", "ext4", "-b", "4096", "-m", "0",
                  "-N", std::to_string(inodes), "-E",
                  "root_owner=0:0,lazy_itable_init=0,lazy_journal_init=1",
                  path},
                 "e2fsprogs");
}

// Pass 2: copies the bytes of layer `index` that the tree kept.
base::Status Copy(const LayerSource& l, size_t index,
                  const std::vector<std::pair<uint64_t, uint32_t>>& wanted,
                  const BuildOptions& o, Ext4Writer* w) {
  TETHER_ASSIGN_OR_RETURN(base::UniqueFd fd, OpenLayer(l));
  struct stat st;
  uint64_t total =
      ::fstat(fd.get(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  if (wanted.empty()) {
    if (o.progress) o.progress(index, total, total);
    return base::Status::Ok();
  }
  TETHER_ASSIGN_OR_RETURN(std::unique_ptr<LayerReader> r,
                          LayerReader::Open(std::move(fd), false));
  size_t next = 0;
  uint64_t reported = 0;
  LayerEntry e;
  while (next < wanted.size()) {
    if (o.cancelled && o.cancelled()) return Cancelled();
    TETHER_ASSIGN_OR_RETURN(bool more, r->Next(&e));
    if (!more) {
      return base::Status::InvalidArgument("the layer changed while loading");
    }
    if (r->count() - 1 != wanted[next].first) continue;
    base::Status s = w->WriteFile(wanted[next].second, r.get());
    if (!s.ok()) return s.Annotate("entry \"" + e.path + "\"");
    ++next;
    if (o.progress && r->consumed() - reported >= 4 * kMiB) {
      reported = r->consumed();
      o.progress(index, std::min(reported, total), total);
    }
  }
  if (o.progress) o.progress(index, total, total);
  return base::Status::Ok();
}

base::Result<BuiltDisk> Build(const std::vector<LayerSource>& layers,
                              const std::string& disk_path,
                              const BuildOptions& o) {
  LayerTree tree(o.limits, o.now);
  BuiltDisk out;
  const int64_t t0 = MonoMs();
  for (size_t i = 0; i < layers.size(); ++i) {
    base::Result<std::string> diff =
        Scan(layers[i], static_cast<uint32_t>(i), o, &tree);
    if (!diff.ok()) {
      return diff.TakeStatus().Annotate("layer " + std::to_string(i + 1));
    }
    if (!layers[i].diff_id.empty() && *diff != layers[i].diff_id) {
      return base::Status::InvalidArgument(
          "layer " + std::to_string(i + 1) + ": its content (" + *diff +
          ") does not match the image config's diff id " + layers[i].diff_id);
    }
    out.diff_ids.push_back(*diff);
  }
  out.content_bytes = tree.ReachableBytes();
  uint64_t inodes = tree.ReachableInodes();
  uint64_t data = BlocksNeeded(tree) * kBlock;
  uint64_t bytes = data + data / 8 + inodes * kInodeSize + kFsOverhead;
  bytes = std::max(bytes, o.min_disk_bytes);
  bytes = (bytes + kMiB - 1) / kMiB * kMiB;
  out.disk_bytes = bytes;
  struct statvfs vfs;
  std::string dir = disk_path.substr(0, disk_path.rfind('/') + 1);
  if (::statvfs(dir.empty() ? "." : dir.c_str(), &vfs) == 0) {
    uint64_t avail = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    if (avail < data + 64 * kMiB) {
      return base::Status::Unavailable(
          "not enough disk space for the image: it needs " +
          std::to_string((data >> 20) + 64) + " MiB, " +
          std::to_string(avail >> 20) + " MiB are free");
    }
  }
  uint64_t inode_count =
      std::max(inodes + kSpareInodes, bytes / kBytesPerInode);
  const int64_t t1 = MonoMs();
  TETHER_RETURN_IF_ERROR(Format(disk_path, bytes, inode_count));
  const int64_t t2 = MonoMs();
  TETHER_ASSIGN_OR_RETURN(std::unique_ptr<Ext4Writer> w,
                          Ext4Writer::Open(disk_path));
  TETHER_RETURN_IF_ERROR(w->CreateTree(tree));
  auto wanted = tree.DataByLayer(static_cast<uint32_t>(layers.size()));
  for (size_t i = 0; i < layers.size(); ++i) {
    base::Status s = Copy(layers[i], i, wanted[i], o, w.get());
    if (!s.ok()) return s.Annotate("layer " + std::to_string(i + 1));
  }
  TETHER_RETURN_IF_ERROR(w->Close());
  LOG_INFO("base disk %s: %llu inodes, %llu MiB of files; layers read in "
           "%lld ms, mke2fs %lld ms, written in %lld ms",
           disk_path.c_str(), static_cast<unsigned long long>(inodes),
           static_cast<unsigned long long>(out.content_bytes >> 20),
           static_cast<long long>(t1 - t0), static_cast<long long>(t2 - t1),
           static_cast<long long>(MonoMs() - t2));
  return out;
}

}  // namespace

base::Result<BuiltDisk> BuildDisk(const std::vector<LayerSource>& layers,
                                  const std::string& disk_path,
                                  const BuildOptions& options) {
  base::Result<BuiltDisk> r = Build(layers, disk_path, options);
  if (!r.ok()) (void)::unlink(disk_path.c_str());
  return r;
}

}  // namespace endpoint
}  // namespace attach
