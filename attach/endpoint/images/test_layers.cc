#include "attach/endpoint/images/test_layers.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "attach/endpoint/images/sha256.h"

namespace attach {
namespace endpoint {
namespace testing {
namespace {

la_ssize_t Append(struct archive*, void* data, const void* buf,
                  size_t len) noexcept {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buf), len);
  return static_cast<la_ssize_t>(len);
}

std::string Run(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int rc = ::pclose(p);
  if (status != nullptr) *status = rc;
  return out;
}

}  // namespace

TarEntry File(const std::string& path, const std::string& data,
              uint32_t mode) {
  TarEntry e;
  e.path = path;
  e.data = data;
  e.mode = mode;
  return e;
}

TarEntry Dir(const std::string& path, uint32_t mode) {
  TarEntry e;
  e.path = path;
  e.type = 'd';
  e.mode = mode;
  return e;
}

TarEntry Symlink(const std::string& path, const std::string& target) {
  TarEntry e;
  e.path = path;
  e.type = 'l';
  e.mode = 0777;
  e.link = target;
  return e;
}

TarEntry Hardlink(const std::string& path, const std::string& target) {
  TarEntry e;
  e.path = path;
  e.type = 'h';
  e.link = target;
  return e;
}

std::string TarBytes(const std::vector<TarEntry>& entries, bool gzip) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (gzip) archive_write_add_filter_gzip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, &Append, nullptr);
  for (const TarEntry& t : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, t.path.c_str());
    archive_entry_set_uid(e, t.uid);
    archive_entry_set_gid(e, t.gid);
    archive_entry_set_mtime(e, t.mtime, 0);
    archive_entry_set_perm(e, t.mode);
    for (const auto& [k, v] : t.xattrs) {
      archive_entry_xattr_add_entry(e, k.c_str(), v.data(), v.size());
    }
    switch (t.type) {
      case 'd': archive_entry_set_filetype(e, AE_IFDIR); break;
      case 'l':
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, t.link.c_str());
        break;
      case 'h':
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, t.link.c_str());
        break;
      case 'c':
      case 'b':
        archive_entry_set_filetype(e, t.type == 'c' ? AE_IFCHR : AE_IFBLK);
        archive_entry_set_rdev(e, makedev(t.major, t.minor));
        break;
      case 'p': archive_entry_set_filetype(e, AE_IFIFO); break;
      default:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, static_cast<la_int64_t>(t.data.size()));
    }
    archive_write_header(a, e);
    if (t.type == 'f' && !t.data.empty()) {
      archive_write_data(a, t.data.data(), t.data.size());
    }
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

void WriteTar(const std::string& path, const std::vector<TarEntry>& entries,
              bool gzip) {
  std::ofstream(path, std::ios::binary) << TarBytes(entries, gzip);
}

std::string GzipBytes(const std::string& bytes) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  archive_write_add_filter_gzip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, &Append, nullptr);
  struct archive_entry* e = archive_entry_new();
  archive_entry_set_filetype(e, AE_IFREG);
  archive_write_header(a, e);
  archive_write_data(a, bytes.data(), bytes.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string FileDigest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return "sha256:" + Sha256Hex(ss.str());
}

std::string Debugfs(const std::string& disk, const std::string& request) {
  return Run("debugfs -R '" + request + "' '" + disk + "' 2>/dev/null",
             nullptr);
}

bool Fsck(const std::string& disk, std::string* output) {
  int status = 0;
  *output = Run("e2fsck -fn '" + disk + "' 2>&1", &status);
  return status == 0;
}

}  // namespace testing
}  // namespace endpoint
}  // namespace attach
