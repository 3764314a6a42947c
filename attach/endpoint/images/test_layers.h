// Test helpers: layer tarballs written with libarchive (pax format, so
// owners, devices and xattrs survive exactly), and a look into a built
// disk with debugfs.
#ifndef TETHER_ATTACH_ENDPOINT_IMAGES_TEST_LAYERS_H_
#define TETHER_ATTACH_ENDPOINT_IMAGES_TEST_LAYERS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace attach {
namespace endpoint {
namespace testing {

struct TarEntry {
  std::string path;
  char type = 'f';  // f file, d dir, l symlink, h hard link, c, b, p fifo
  uint32_t mode = 0644;
  uint32_t uid = 0, gid = 0;
  std::string data;  // File contents.
  std::string link;  // Symlink or hard link target.
  uint32_t major = 0, minor = 0;
  int64_t mtime = 1700000000;
  std::vector<std::pair<std::string, std::string>> xattrs;
};

TarEntry File(const std::string& path, const std::string& data,
              uint32_t mode = 0644);
TarEntry Dir(const std::string& path, uint32_t mode = 0755);
TarEntry Symlink(const std::string& path, const std::string& target);
TarEntry Hardlink(const std::string& path, const std::string& target);

// Writes a tar (gzip-compressed when `gzip`) of `entries` to `path`.
void WriteTar(const std::string& path, const std::vector<TarEntry>& entries,
              bool gzip = false);
// The tar as bytes.
std::string TarBytes(const std::vector<TarEntry>& entries, bool gzip = false);

// `bytes` gzip-compressed.
std::string GzipBytes(const std::string& bytes);

// "sha256:<hex>" of a file's bytes.
std::string FileDigest(const std::string& path);

// `debugfs -R "<request>" disk`: its standard output.
std::string Debugfs(const std::string& disk, const std::string& request);
// Whether `e2fsck -fn disk` finds the file system clean.
bool Fsck(const std::string& disk, std::string* output);

}  // namespace testing
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_IMAGES_TEST_LAYERS_H_
