#include "attach/endpoint/images/ext4_writer.h"

#include <ext2fs/ext2fs.h>

// com_err.h declares C functions without saying so to C++.
extern "C" {
#include <et/com_err.h>
}

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace attach {
namespace endpoint {
namespace {

constexpr size_t kCopyBuffer = 1 << 20;

ext2_filsys Fs(void* fs) { return static_cast<ext2_filsys>(fs); }

base::Status Ext2Error(const std::string& what, errcode_t err) {
  return base::Status::IoError(what + ": " + error_message(err));
}

uint16_t TypeBits(EntryType t) {
  switch (t) {
    case EntryType::kDir: return LINUX_S_IFDIR;
    case EntryType::kSymlink: return LINUX_S_IFLNK;
    case EntryType::kChar: return LINUX_S_IFCHR;
    case EntryType::kBlock: return LINUX_S_IFBLK;
    case EntryType::kFifo: return LINUX_S_IFIFO;
    default: return LINUX_S_IFREG;
  }
}

int FileType(EntryType t) {
  switch (t) {
    case EntryType::kDir: return EXT2_FT_DIR;
    case EntryType::kSymlink: return EXT2_FT_SYMLINK;
    case EntryType::kChar: return EXT2_FT_CHRDEV;
    case EntryType::kBlock: return EXT2_FT_BLKDEV;
    case EntryType::kFifo: return EXT2_FT_FIFO;
    default: return EXT2_FT_REG_FILE;
  }
}

// ext4's time encoding: the low 32 bits of the seconds, then the epoch
// bits and the nanoseconds in the extra field (the kernel's
// ext4_encode_extra_time).
void SetTime(int64_t sec, uint32_t nsec, __u32* base, __u32* extra) {
  *base = static_cast<__u32>(sec);
  int64_t epoch = (sec - static_cast<int32_t>(sec)) >> 32;
  *extra = (static_cast<__u32>(epoch) & EXT4_EPOCH_MASK) |
           (nsec << EXT4_EPOCH_BITS);
}

// Owner, mode and times of `m` onto `inode` (type bits from the entry).
void ApplyMeta(const LayerEntry& m, ext2_inode_large* inode) {
  inode->i_mode = static_cast<__u16>(TypeBits(m.type) | (m.mode & 07777));
  if (m.type == EntryType::kSymlink) inode->i_mode = LINUX_S_IFLNK | 0777;
  inode->i_uid = static_cast<__u16>(m.uid & 0xffff);
  inode->osd2.linux2.l_i_uid_high = static_cast<__u16>(m.uid >> 16);
  inode->i_gid = static_cast<__u16>(m.gid & 0xffff);
  inode->osd2.linux2.l_i_gid_high = static_cast<__u16>(m.gid >> 16);
  if (inode->i_extra_isize < 24) inode->i_extra_isize = 32;
  SetTime(m.mtime, m.mtime_ns, &inode->i_mtime, &inode->i_mtime_extra);
  SetTime(m.atime, m.atime_ns, &inode->i_atime, &inode->i_atime_extra);
  // A ctime cannot be chosen on Linux; the layer's mtime is the closest
  // to what extraction gives.
  SetTime(m.mtime, m.mtime_ns, &inode->i_ctime, &inode->i_ctime_extra);
  SetTime(m.mtime, m.mtime_ns, &inode->i_crtime, &inode->i_crtime_extra);
}

base::Status PwriteAll(int fd, const char* p, size_t len, uint64_t at) {
  while (len > 0) {
    ssize_t n = ::pwrite(fd, p, len, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return base::Status::Io("write the disk", errno);
    p += n;
    at += static_cast<uint64_t>(n);
    len -= static_cast<size_t>(n);
  }
  return base::Status::Ok();
}

// Zeros at [at, at + len) of the image file: a hole where the file system
// allows one, else written.
base::Status PunchZeros(int fd, uint64_t at, uint64_t len) {
  if (::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  static_cast<off_t>(at), static_cast<off_t>(len)) == 0) {
    return base::Status::Ok();
  }
  static const std::vector<char> zeros(kCopyBuffer, 0);
  while (len > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(len, zeros.size()));
    TETHER_RETURN_IF_ERROR(PwriteAll(fd, zeros.data(), n, at));
    at += n;
    len -= n;
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<std::unique_ptr<Ext4Writer>> Ext4Writer::Open(
    const std::string& path) {
  ext2_filsys fs = nullptr;
  errcode_t err = ext2fs_open(path.c_str(), EXT2_FLAG_RW | EXT2_FLAG_64BITS,
                              0, 0, unix_io_manager, &fs);
  if (err != 0) return Ext2Error("open " + path, err);
  err = ext2fs_read_bitmaps(fs);
  if (err != 0) {
    ext2fs_close_free(&fs);
    return Ext2Error("read bitmaps of " + path, err);
  }
  std::unique_ptr<Ext4Writer> w(new Ext4Writer(fs));
  w->buf_.resize(kCopyBuffer);
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return base::Status::Io("open " + path, errno);
  w->data_fd_ = base::UniqueFd(fd);
  return w;
}

Ext4Writer::~Ext4Writer() {
  if (fs_ != nullptr) {
    ext2_filsys fs = Fs(fs_);
    // Unflushed: the caller deletes the file.
    fs->flags &= ~EXT2_FLAG_DIRTY;
    ext2fs_free(fs);
  }
}

base::Status Ext4Writer::Link(uint32_t dir, const std::string& name,
                              uint32_t ino, int file_type) {
  ext2_filsys fs = Fs(fs_);
  errcode_t err = ext2fs_link(fs, dir, name.c_str(), ino, file_type);
  if (err == EXT2_ET_DIR_NO_SPACE) {
    err = ext2fs_expand_dir(fs, dir);
    if (err == 0) err = ext2fs_link(fs, dir, name.c_str(), ino, file_type);
  }
  if (err != 0) return Ext2Error("link", err);
  return base::Status::Ok();
}

base::Status Ext4Writer::WriteMeta(uint32_t ino, const LayerTree::Inode& node,
                                   bool fresh) {
  ext2_filsys fs = Fs(fs_);
  ext2_inode_large inode;
  std::memset(&inode, 0, sizeof(inode));
  errcode_t err = 0;
  if (!fresh) {
    err = ext2fs_read_inode_full(fs, ino, reinterpret_cast<ext2_inode*>(&inode),
                                 sizeof(inode));
    if (err != 0) return Ext2Error("read inode", err);
  }
  ApplyMeta(node.meta, &inode);
  if (fresh) {
    inode.i_links_count = static_cast<__u16>(node.nlink);
    if (node.meta.type == EntryType::kChar ||
        node.meta.type == EntryType::kBlock) {
      uint32_t major = node.meta.dev_major, minor = node.meta.dev_minor;
      if (major < 256 && minor < 256) {
        inode.i_block[0] = major * 256 + minor;
      } else {
        inode.i_block[1] = (minor & 0xff) | (major << 8) |
                           ((minor & ~0xffu) << 12);
      }
    }
    if (node.meta.type == EntryType::kFile &&
        ext2fs_has_feature_extents(fs->super)) {
      inode.i_flags |= EXT4_EXTENTS_FL;
      ext2_extent_handle_t handle;
      err = ext2fs_extent_open2(fs, ino, reinterpret_cast<ext2_inode*>(&inode),
                                &handle);
      if (err != 0) return Ext2Error("extent header", err);
      ext2fs_extent_free(handle);
    }
  }
  err = ext2fs_write_inode_full(fs, ino, reinterpret_cast<ext2_inode*>(&inode),
                                sizeof(inode));
  if (err != 0) return Ext2Error("write inode", err);
  // Directories get theirs last (Close), with their final metadata.
  if (!fresh) return base::Status::Ok();
  return SetXattrs(ino, node.meta);
}

base::Status Ext4Writer::SetXattrs(uint32_t ino, const LayerEntry& meta) {
  if (meta.xattrs.empty()) return base::Status::Ok();
  ext2_xattr_handle* h = nullptr;
  errcode_t err = ext2fs_xattrs_open(Fs(fs_), ino, &h);
  if (err == 0) err = ext2fs_xattrs_read(h);
  for (const auto& [name, value] : meta.xattrs) {
    if (err != 0) break;
    err = ext2fs_xattr_set(h, name.c_str(), value.data(), value.size());
  }
  errcode_t close_err = h != nullptr ? ext2fs_xattrs_close(&h) : 0;
  if (err == 0) err = close_err;
  if (err != 0) return Ext2Error("extended attributes", err);
  return base::Status::Ok();
}

base::Status Ext4Writer::RemoveLostFound() {
  ext2_filsys fs = Fs(fs_);
  ext2_ino_t ino = 0;
  if (ext2fs_lookup(fs, EXT2_ROOT_INO, "lost+found", 10, nullptr, &ino) != 0) {
    return base::Status::Ok();
  }
  errcode_t err = ext2fs_unlink(fs, EXT2_ROOT_INO, "lost+found", ino, 0);
  ext2_inode inode;
  if (err == 0) err = ext2fs_read_inode(fs, ino, &inode);
  if (err == 0) err = ext2fs_punch(fs, ino, &inode, nullptr, 0, ~0ULL);
  if (err == 0) {
    inode.i_links_count = 0;
    inode.i_dtime = static_cast<__u32>(time(nullptr));
    err = ext2fs_write_inode(fs, ino, &inode);
  }
  if (err == 0) {
    ext2fs_inode_alloc_stats2(fs, ino, -1, 1);
    err = ext2fs_read_inode(fs, EXT2_ROOT_INO, &inode);
  }
  if (err == 0) {
    --inode.i_links_count;
    err = ext2fs_write_inode(fs, EXT2_ROOT_INO, &inode);
  }
  if (err != 0) return Ext2Error("remove lost+found", err);
  return base::Status::Ok();
}

base::Status Ext4Writer::Create(uint32_t parent,
                                const std::string& name, uint32_t id,
                                bool first) {
  ext2_filsys fs = Fs(fs_);
  const LayerTree::Inode& node = tree_->inode(id);
  const ext2_ino_t dir = ino_of_[parent];
  if (!first) return Link(dir, name, ino_of_[id], FileType(node.meta.type));
  ext2_ino_t ino = 0;
  errcode_t err = ext2fs_new_inode(fs, dir, TypeBits(node.meta.type), nullptr,
                                   &ino);
  if (err != 0) return Ext2Error("allocate an inode", err);
  ino_of_[id] = ino;
  switch (node.meta.type) {
    case EntryType::kDir:
      err = ext2fs_mkdir(fs, dir, ino, nullptr);
      if (err != 0) return Ext2Error("mkdir", err);
      return Link(dir, name, ino, EXT2_FT_DIR);
    case EntryType::kSymlink: {
      std::string target = node.meta.link;
      err = ext2fs_symlink(fs, dir, ino, nullptr, &target[0]);
      if (err != 0) return Ext2Error("symlink", err);
      TETHER_RETURN_IF_ERROR(Link(dir, name, ino, EXT2_FT_SYMLINK));
      return WriteMeta(ino, node, false);
    }
    default:
      ext2fs_inode_alloc_stats2(fs, ino, +1, 0);
      TETHER_RETURN_IF_ERROR(WriteMeta(ino, node, true));
      return Link(dir, name, ino, FileType(node.meta.type));
  }
}

base::Status Ext4Writer::CreateTree(const LayerTree& tree) {
  tree_ = &tree;
  bool has_lost_found = false;
  // Tree inode ids can exceed the reachable count (removed ones stay in
  // the arena): size the map by the largest id instead.
  uint32_t max_id = 0;
  (void)tree.Walk([&](const LayerTree::WalkStep& s) {
    if (s.id > max_id) max_id = s.id;
    return base::Status::Ok();
  });
  ino_of_.assign(max_id + 1, 0);
  ino_of_[LayerTree::kRoot] = EXT2_ROOT_INO;
  base::Status s = tree.Walk([&](const LayerTree::WalkStep& step) {
    if (step.path.empty()) return base::Status::Ok();
    if (step.path == "lost+found" &&
        tree.inode(step.id).meta.type == EntryType::kDir) {
      // mke2fs made one: keep it for the image's.
      ext2_ino_t ino = 0;
      if (ext2fs_lookup(Fs(fs_), EXT2_ROOT_INO, "lost+found", 10, nullptr,
                        &ino) == 0) {
        has_lost_found = true;
        ino_of_[step.id] = ino;
        return base::Status::Ok();
      }
    }
    base::Status c = Create(step.parent, step.name, step.id, step.first);
    return c.ok() ? c : c.Annotate("\"" + step.path + "\"");
  });
  if (!s.ok()) return s;
  if (!has_lost_found) TETHER_RETURN_IF_ERROR(RemoveLostFound());
  return base::Status::Ok();
}

// The file's blocks are allocated in one go (initialised extents) and its
// bytes written straight to the image file with pwrite at their physical
// blocks, in runs as long as the allocation allows: libext2fs's own file
// I/O would write and remap every 4 KiB block on its own. Blocks of zeros
// become holes of the (sparse) image file.
base::Status Ext4Writer::WriteFile(uint32_t id, LayerReader* reader) {
  ext2_filsys fs = Fs(fs_);
  const ext2_ino_t ino = ino_of_[id];
  const uint64_t size = tree_->inode(id).meta.size;
  const uint64_t block = fs->blocksize;
  ext2_inode inode;
  errcode_t err = ext2fs_read_inode(fs, ino, &inode);
  if (err == 0 && size > 0) {
    err = ext2fs_fallocate(fs, EXT2_FALLOCATE_FORCE_INIT, ino, &inode, ~0ULL, 0,
                           (size + block - 1) / block);
  }
  if (err == 0) err = ext2fs_inode_size_set(fs, &inode, size);
  if (err == 0) err = ext2fs_write_inode(fs, ino, &inode);
  if (err != 0) return Ext2Error("allocate " + std::to_string(size) + " bytes", err);
  uint64_t pos = 0;
  // A run of blocks waiting to be written (or, for zeros, punched out of
  // the image file: a block freed earlier, lost+found's, may hold old
  // bytes), contiguous on the disk and, for data, in the buffer.
  struct Run {
    bool zero = false;
    const char* data = nullptr;
    uint64_t at = 0, len = 0;
  } run;
  auto flush = [&]() -> base::Status {
    if (run.len == 0) return base::Status::Ok();
    base::Status s = run.zero ? PunchZeros(data_fd_.get(), run.at, run.len)
                              : PwriteAll(data_fd_.get(), run.data, run.len,
                                          run.at);
    run.len = 0;
    return s;
  };
  for (;;) {
    TETHER_ASSIGN_OR_RETURN(size_t n, reader->Read(buf_.data(), buf_.size()));
    if (n == 0) break;
    if (pos + n > size) {
      return base::Status::InvalidArgument("its data runs past its size");
    }
    for (size_t off = 0; off < n;) {
      uint64_t lblk = (pos + off) / block;
      size_t in_block = static_cast<size_t>((pos + off) % block);
      size_t len = std::min<size_t>(block - in_block, n - off);
      const char* p = buf_.data() + off;
      bool zero = p[0] == 0 && std::memcmp(p, p + 1, len - 1) == 0;
      blk64_t pblk = 0;
      err = ext2fs_bmap2(fs, ino, &inode, nullptr, 0, lblk, nullptr, &pblk);
      if (err != 0 || pblk == 0) {
        return Ext2Error("map block " + std::to_string(lblk),
                         err ? err : EXT2_ET_BAD_BLOCK_NUM);
      }
      uint64_t at = pblk * block + in_block;
      bool extends = run.len > 0 && run.zero == zero &&
                     run.at + run.len == at &&
                     (zero || run.data + run.len == p);
      if (!extends) {
        TETHER_RETURN_IF_ERROR(flush());
        run = Run{zero, p, at, 0};
      }
      run.len += len;
      off += len;
    }
    TETHER_RETURN_IF_ERROR(flush());
    pos += n;
  }
  if (pos != size) {
    return base::Status::InvalidArgument(
        "its data ends after " + std::to_string(pos) + " of " +
        std::to_string(size) + " bytes");
  }
  return base::Status::Ok();
}

base::Status Ext4Writer::Close() {
  ext2_filsys fs = Fs(fs_);
  // ext2fs_mkdir, link and expand_dir rewrite directory inodes: their
  // modes, owners and times go last.
  base::Status s = tree_ == nullptr ? base::Status::Ok() : tree_->Walk(
      [&](const LayerTree::WalkStep& step) {
        const LayerTree::Inode& node = tree_->inode(step.id);
        if (!step.first || node.meta.type != EntryType::kDir) {
          return base::Status::Ok();
        }
        base::Status w = WriteMeta(ino_of_[step.id], node, false);
        if (w.ok()) w = SetXattrs(ino_of_[step.id], node.meta);
        return w.ok() ? w : w.Annotate("\"" + step.path + "\"");
      });
  if (!s.ok()) return s;
  errcode_t err = ext2fs_close_free(&fs);
  fs_ = nullptr;
  if (err != 0) return Ext2Error("close the file system", err);
  return base::Status::Ok();
}

}  // namespace endpoint
}  // namespace attach
