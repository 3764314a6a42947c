// Base disks from layers: what docker's layer application promises
// (owners, modes, devices, links, xattrs, whiteouts, opaque directories),
// checked inside the ext4 image with debugfs and e2fsck, and the
// malicious layers it refuses before anything is written.
#include <gtest/gtest.h>
#include <unistd.h>

#include "attach/endpoint/images/disk_builder.h"
#include "attach/endpoint/images/test_layers.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

using testing::Debugfs;
using testing::Dir;
using testing::File;
using testing::Hardlink;
using testing::Symlink;
using testing::TarEntry;

class DiskTest : public ::testing::Test {
 protected:
  // Writes each layer as a tar and builds the disk; its status.
  base::Status Build(const std::vector<std::vector<TarEntry>>& layers,
                     bool gzip = false, LayerLimits limits = LayerLimits()) {
    std::vector<LayerSource> sources;
    for (size_t i = 0; i < layers.size(); ++i) {
      std::string path = dir_.path() + "/layer" + std::to_string(i);
      testing::WriteTar(path, layers[i], gzip);
      sources.push_back(LayerSource{path, testing::FileDigest(path), ""});
    }
    BuildOptions o;
    o.limits = limits;
    o.min_disk_bytes = 64 << 20;
    o.now = 1700000000;
    base::Result<BuiltDisk> r = BuildDisk(sources, disk(), o);
    if (r.ok()) built_ = *r;
    return r.status();
  }
  std::string disk() const { return dir_.path() + "/disk.raw"; }
  std::string Stat(const std::string& path) {
    return Debugfs(disk(), "stat " + path);
  }
  std::string Cat(const std::string& path) {
    return Debugfs(disk(), "cat " + path);
  }
  bool Exists(const std::string& path) {
    return Stat(path).find("Inode:") != std::string::npos;
  }
  void ExpectClean() {
    std::string out;
    EXPECT_TRUE(testing::Fsck(disk(), &out)) << out;
  }

  testing::TempDir dir_;
  BuiltDisk built_;
};

TEST_F(DiskTest, KeepsOwnersModesDevicesLinksAndXattrs) {
  TarEntry suid = File("usr/bin/tool", "#!/bin/sh\n", 04755);
  suid.uid = 1000;
  suid.gid = 2000;
  suid.xattrs = {{"security.capability", std::string("\x01\x00\x00\x02", 4)},
                 {"user.note", "hello"}};
  TarEntry tmp = Dir("tmp", 01777);
  TarEntry null_dev;
  null_dev.path = "dev/null";
  null_dev.type = 'c';
  null_dev.mode = 0666;
  null_dev.major = 1;
  null_dev.minor = 3;
  TarEntry big_dev = null_dev;
  big_dev.path = "dev/big";
  big_dev.type = 'b';
  big_dev.major = 259;
  big_dev.minor = 70000;
  TarEntry fifo;
  fifo.path = "run/fifo";
  fifo.type = 'p';
  fifo.mode = 0600;
  TarEntry owned_dir = Dir("home/app", 0750);
  owned_dir.uid = 70000;  // Needs the high 16 bits of i_uid.
  owned_dir.gid = 65534;
  std::string zeros(1 << 20, '\0');
  ASSERT_TRUE(Build({{Dir("usr"), Dir("usr/bin"), suid, tmp, Dir("dev"),
                      null_dev, big_dev, Dir("run"), fifo, Dir("home"),
                      owned_dir, Symlink("bin", "usr/bin"),
                      Symlink("etc/abs", "/usr/bin/tool"),
                      Hardlink("usr/bin/tool2", "usr/bin/tool"),
                      File("zeros", zeros + "end"), File("empty", "")}})
                  .ok());
  std::string s = Stat("/usr/bin/tool");
  EXPECT_NE(s.find("Mode:  04755"), std::string::npos) << s;
  EXPECT_NE(s.find("User:  1000   Group:  2000"), std::string::npos) << s;
  EXPECT_NE(s.find("Links: 2"), std::string::npos) << s;
  EXPECT_NE(s.find("security.capability"), std::string::npos) << s;
  EXPECT_NE(s.find("user.note"), std::string::npos) << s;
  EXPECT_EQ(Cat("/usr/bin/tool2"), "#!/bin/sh\n");
  EXPECT_NE(Stat("/tmp").find("Mode:  01777"), std::string::npos);
  s = Stat("/dev/null");
  EXPECT_NE(s.find("Type: character special"), std::string::npos) << s;
  EXPECT_NE(s.find("Device major/minor number: 01:03"), std::string::npos)
      << s;
  s = Stat("/dev/big");
  EXPECT_NE(s.find("Type: block special"), std::string::npos) << s;
  EXPECT_NE(s.find("259:70000"), std::string::npos) << s;
  EXPECT_NE(Stat("/run/fifo").find("Type: FIFO"), std::string::npos);
  s = Stat("/home/app");
  EXPECT_NE(s.find("User: 70000   Group: 65534"), std::string::npos) << s;
  EXPECT_NE(Stat("/bin").find("Fast link dest: \"usr/bin\""),
            std::string::npos);
  EXPECT_TRUE(Cat("/zeros") == zeros + "end");  // No megabyte in the log.
  EXPECT_FALSE(Exists("/lost+found"));
  EXPECT_EQ(built_.content_bytes, zeros.size() + 3 + 10);
  ExpectClean();
}

TEST_F(DiskTest, WhiteoutsAndOpaqueDirectoriesAsDocker) {
  std::vector<TarEntry> lower = {
      Dir("a"), File("a/x", "x"), File("a/y", "y"), Dir("b"),
      File("b/z", "z"), File("c", "file c"), Dir("d"), File("d/old", "old"),
      File("keep", "keep")};
  std::vector<TarEntry> upper = {
      File("a/.wh.x", ""), File(".wh.b", ""), Dir("c"), File("c/in", "in"),
      File("d/new", "new"), File("d/.wh..wh..opq", ""),
      File(".wh..wh.plnk", "")};
  ASSERT_TRUE(Build({lower, upper}).ok());
  EXPECT_FALSE(Exists("/a/x"));
  EXPECT_EQ(Cat("/a/y"), "y");
  EXPECT_FALSE(Exists("/b"));
  EXPECT_NE(Stat("/c").find("Type: directory"), std::string::npos);
  EXPECT_EQ(Cat("/c/in"), "in");
  EXPECT_FALSE(Exists("/d/old"));
  EXPECT_EQ(Cat("/d/new"), "new");  // Same layer as the marker: kept.
  EXPECT_EQ(Cat("/keep"), "keep");
  EXPECT_FALSE(Exists("/.wh..wh.plnk"));
  EXPECT_FALSE(Exists("/a/.wh.x"));
  ExpectClean();
}

TEST_F(DiskTest, ReplacingOneNameOfAHardLinkKeepsTheOther) {
  ASSERT_TRUE(Build({{File("f1", "old")},
                     {Hardlink("f2", "f1")},
                     {File("f1", "new content")}},
                    /*gzip=*/true)
                  .ok());
  EXPECT_EQ(Cat("/f1"), "new content");
  EXPECT_EQ(Cat("/f2"), "old");
  EXPECT_NE(Stat("/f2").find("Links: 1"), std::string::npos);
  ASSERT_EQ(built_.diff_ids.size(), 3u);
  EXPECT_EQ(built_.diff_ids[0].size(), 71u);
  ExpectClean();
}

TEST_F(DiskTest, RefusesMaliciousLayersAndWritesNothing) {
  struct Case {
    std::vector<TarEntry> layer;
    const char* error;
  } cases[] = {
      {{File("../evil", "x")}, "path escapes the image root"},
      {{File("a/../../evil", "x")}, "path escapes the image root"},
      {{Symlink("etc", "/etc"), File("etc/passwd", "root::0:0::/:")},
       "is a symlink"},
      {{Symlink("up", "../../../../etc")}, "points outside the image root"},
      {{File("f", "x"), Hardlink("h", "../f")}, "path escapes the image root"},
      {{Hardlink("h", "missing")}, "does not exist"},
      {{File("f", "x"), File("f/g", "y")}, "is not a directory"},
  };
  for (const Case& c : cases) {
    base::Status s = Build({c.layer});
    EXPECT_FALSE(s.ok()) << c.error;
    EXPECT_NE(s.message().find(c.error), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("layer 1: entry"), std::string::npos)
        << s.message();
    EXPECT_NE(::access(disk().c_str(), F_OK), 0) << c.error;
  }
}

TEST_F(DiskTest, RefusesAFileBomb) {
  std::vector<TarEntry> many;
  for (int i = 0; i < 300; ++i) many.push_back(File("f" + std::to_string(i), ""));
  LayerLimits limits;
  limits.max_entries = 200;
  base::Status s = Build({many}, true, limits);
  EXPECT_NE(s.message().find("more than 200 entries"), std::string::npos)
      << s.message();
  limits = LayerLimits();
  limits.max_bytes = 1000;
  s = Build({{File("big", std::string(2000, 'x'))}}, false, limits);
  EXPECT_NE(s.message().find("exceed"), std::string::npos) << s.message();
  EXPECT_NE(::access(disk().c_str(), F_OK), 0);
}

TEST_F(DiskTest, RefusesADiffIdThatDoesNotMatch) {
  std::string path = dir_.path() + "/layer";
  testing::WriteTar(path, {File("a", "a")});
  BuildOptions o;
  o.min_disk_bytes = 64 << 20;
  base::Result<BuiltDisk> r = BuildDisk(
      {LayerSource{path, testing::FileDigest(path),
                   "sha256:" + std::string(64, '0')}},
      disk(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not match"), std::string::npos);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
