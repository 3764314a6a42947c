// The image store end to end on a real loop: docker-save (v1.2) and OCI
// archives and imports streamed in pieces, tags, rmi's conflicts, and
// what survives a restart.
#include "attach/endpoint/images/image_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "attach/endpoint/images/sha256.h"
#include "attach/endpoint/images/test_layers.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

using nlohmann::json;
using testing::File;
using testing::TarBytes;
using testing::TarEntry;

std::string Digest(const std::string& bytes) {
  return "sha256:" + Sha256Hex(bytes);
}

std::string ConfigFor(const std::vector<std::string>& layers) {
  json diff = json::array();
  for (const std::string& l : layers) diff.push_back(Digest(l));
  return json{{"architecture", "amd64"},
              {"os", "linux"},
              {"created", "2024-01-02T03:04:05Z"},
              {"config",
               {{"Env", {"PATH=/bin", "GREETING=hi"}},
                {"Cmd", {"/bin/sh"}},
                {"WorkingDir", "/srv"},
                {"User", "1000:1000"}}},
              {"rootfs", {{"type", "layers"}, {"diff_ids", diff}}}}
      .dump();
}

// docker save's v1.2 layout.
std::string DockerSave(const std::vector<std::string>& layers,
                       const std::string& tag, std::string* config_out) {
  std::string config = ConfigFor(layers);
  *config_out = config;
  std::string id = Sha256Hex(config);
  std::vector<TarEntry> members;
  json names = json::array();
  for (size_t i = 0; i < layers.size(); ++i) {
    std::string dir = Sha256Hex(layers[i]);
    members.push_back(testing::Dir(dir));
    members.push_back(File(dir + "/layer.tar", layers[i]));
    names.push_back(dir + "/layer.tar");
  }
  members.push_back(File(id + ".json", config));
  members.push_back(File(
      "manifest.json",
      json::array({{{"Config", id + ".json"}, {"RepoTags", {tag}}, {"Layers", names}}})
          .dump()));
  return TarBytes(members);
}

// The OCI image layout: gzip layers, a manifest, a containerd name.
std::string OciArchive(const std::vector<std::string>& plain_layers,
                       const std::string& name, std::string* config_out) {
  std::vector<TarEntry> members = {
      File("oci-layout", R"({"imageLayoutVersion":"1.0.0"})")};
  json descs = json::array();
  std::vector<std::string> gz;
  for (const std::string& l : plain_layers) {
    std::string z = testing::GzipBytes(l);
    members.push_back(File("blobs/sha256/" + Sha256Hex(z), z));
    descs.push_back(
        {{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
         {"digest", Digest(z)},
         {"size", z.size()}});
  }
  std::string config = ConfigFor(plain_layers);
  *config_out = config;
  members.push_back(File("blobs/sha256/" + Sha256Hex(config), config));
  std::string manifest =
      json{{"schemaVersion", 2},
           {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
           {"config",
            {{"mediaType", "application/vnd.oci.image.config.v1+json"},
             {"digest", Digest(config)},
             {"size", config.size()}}},
           {"layers", descs}}
          .dump();
  members.push_back(File("blobs/sha256/" + Sha256Hex(manifest), manifest));
  members.push_back(File(
      "index.json",
      json{{"schemaVersion", 2},
           {"manifests",
            {{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
              {"digest", Digest(manifest)},
              {"size", manifest.size()},
              {"annotations", {{"io.containerd.image.name", name}}}}}}}
          .dump()));
  return TarBytes(members);
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uv_loop_init(&loop_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    for (int i = 0; i < 5; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  void Reopen() {
    store_.reset();
    Image builtin;
    builtin.id = "sha256:" + std::string(64, 'b');
    builtin.repo_tags = {"busybox:latest"};
    StoreOptions o;
    o.min_disk_bytes = 64 << 20;
    auto s = ImageStore::Open(&loop_, dir_.path(), builtin, o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  // Streams `bytes` in small pieces through an upload; the result.
  base::Result<LoadResult> Upload(const std::string& bytes, bool import = false,
                                  ImportOptions io = ImportOptions()) {
    bool finished = false;
    base::Result<LoadResult> result = base::Status::Internal("no result");
    ImageUpload::Callbacks cb;
    cb.progress = [&](const LoadProgress& p) { progress_.push_back(p); };
    cb.done = [&](base::Result<LoadResult> r) {
      result = std::move(r);
      finished = true;
    };
    auto upload = import ? store_->StartImport(io, cb) : store_->StartLoad(cb);
    if (!upload.ok()) return upload.status();
    for (size_t at = 0; at < bytes.size(); at += 1000) {
      (*upload)->Write(std::string_view(bytes).substr(at, 1000));
    }
    (*upload)->Finish();
    EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return finished; }, 60000));
    return result;
  }

  testing::TempDir dir_;
  uv_loop_t loop_;
  std::unique_ptr<ImageStore> store_;
  std::vector<LoadProgress> progress_;
};

TEST_F(StoreTest, LoadsADockerSaveArchive) {
  std::string l1 = TarBytes({testing::Dir("bin"), File("bin/hello", "echo hi", 0755)});
  std::string l2 = TarBytes({File("srv/data", "data"), File("bin/.wh.hello", "")});
  std::string config;
  base::Result<LoadResult> r =
      Upload(DockerSave({l1, l2}, "example/app:1.0", &config));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->lines, std::vector<std::string>{"Loaded image: example/app:1.0"});
  std::string id = "sha256:" + Sha256Hex(config);
  EXPECT_EQ(r->ids, std::vector<std::string>{id});
  base::Result<const Image*> image = store_->Find("example/app:1.0");
  ASSERT_TRUE(image.ok());
  EXPECT_EQ((*image)->id, id);
  EXPECT_EQ((*image)->config.workdir, "/srv");
  EXPECT_EQ((*image)->config.user, "1000:1000");
  EXPECT_EQ((*image)->layers.size(), 2u);
  EXPECT_EQ((*image)->size, 4u);  // bin/hello was whited out.
  struct stat st;
  ASSERT_EQ(::stat((*image)->disk.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);
  EXPECT_EQ(testing::Debugfs((*image)->disk, "cat /srv/data"), "data");
  ASSERT_FALSE(progress_.empty());
  EXPECT_EQ(progress_.back().status, "Loading layer");
  EXPECT_EQ(progress_.back().id.size(), 12u);
  // Loaded again: nothing built, the tag is where it was.
  r = Upload(DockerSave({l1, l2}, "example/app:1.0", &config));
  ASSERT_TRUE(r.ok());
  // After a restart the image, its tag and the built-in one are there.
  Reopen();
  EXPECT_TRUE(store_->Find("example/app:1.0").ok());
  EXPECT_TRUE(store_->Find("busybox").ok());
  EXPECT_EQ(store_->All().size(), 2u);
}

TEST_F(StoreTest, LoadsAnOciLayout) {
  std::string l1 = TarBytes({File("etc/os-release", "ID=test")});
  std::string config;
  base::Result<LoadResult> r =
      Upload(OciArchive({l1}, "docker.io/library/oci:2", &config));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->lines, std::vector<std::string>{"Loaded image: oci:2"});
  base::Result<const Image*> image = store_->Find("oci:2");
  ASSERT_TRUE(image.ok());
  EXPECT_EQ((*image)->id, "sha256:" + Sha256Hex(config));
  ASSERT_EQ((*image)->repo_digests.size(), 1u);
  EXPECT_EQ((*image)->repo_digests[0].rfind("oci@sha256:", 0), 0u);
  EXPECT_EQ(testing::Debugfs((*image)->disk, "cat /etc/os-release"), "ID=test");
}

TEST_F(StoreTest, RefusesABrokenArchiveAndKeepsNothing) {
  std::string l1 = TarBytes({File("../escape", "x")});
  std::string config;
  base::Result<LoadResult> r = Upload(DockerSave({l1}, "bad:1", &config));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("path escapes the image root"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(store_->All().size(), 1u);
  base::Result<std::vector<std::string>> tmp = ListDir(dir_.path() + "/images/tmp");
  ASSERT_TRUE(tmp.ok());
  EXPECT_TRUE(tmp->empty());
  r = Upload("this is not a tar archive at all, not even close.");
  EXPECT_FALSE(r.ok());
}

TEST_F(StoreTest, ImportsWithChanges) {
  ImportOptions io;
  io.tag = "imported";
  io.changes = {"ENV A=1", "CMD [\"/bin/true\"]", "WORKDIR /w", "USER nobody",
                "EXPOSE 8080"};
  std::string rootfs = TarBytes({File("bin/true", "", 0755)}, /*gzip=*/true);
  base::Result<LoadResult> r = Upload(rootfs, true, io);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->lines.size(), 1u);
  EXPECT_EQ(r->lines[0].rfind("sha256:", 0), 0u);
  base::Result<const Image*> image = store_->Find("imported:latest");
  ASSERT_TRUE(image.ok());
  EXPECT_EQ((*image)->config.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ((*image)->config.cmd, std::vector<std::string>{"/bin/true"});
  EXPECT_EQ((*image)->config.exposed_ports, std::vector<std::string>{"8080/tcp"});
  EXPECT_EQ((*image)->comment, "Imported from -");
  io.changes = {"RUN true"};
  EXPECT_EQ(store_->StartImport(io, {}).status().message(),
            "RUN is not a valid change command");
}

TEST_F(StoreTest, TagsAndRemovesAsDocker) {
  std::string config;
  ASSERT_TRUE(Upload(DockerSave({TarBytes({File("a", "a")})}, "one:1", &config)).ok());
  std::string id = "sha256:" + Sha256Hex(config);
  ASSERT_TRUE(store_->Tag("one:1", "two").ok());
  EXPECT_EQ((*store_->Find("two:latest"))->id, id);
  ImageUsers none = [](const std::string&) { return std::vector<ImageUser>(); };
  ImageUsers stopped = [](const std::string&) {
    return std::vector<ImageUser>{{std::string(64, 'c'), false}};
  };
  ImageUsers running = [](const std::string&) {
    return std::vector<ImageUser>{{std::string(64, 'c'), true}};
  };
  // By id with two tags: must force.
  base::Result<std::vector<std::string>> r = store_->Remove(id, false, none);
  EXPECT_EQ(r.status().code(), base::Status::Code::kConflict);
  // One of two tags: just untagged, even while used.
  r = store_->Remove("two", false, running);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::vector<std::string>{"Untagged: two:latest"});
  r = store_->Remove("one:1", false, stopped);
  EXPECT_EQ(r.status().code(), base::Status::Code::kConflict);
  EXPECT_NE(r.status().message().find("is using its referenced image"),
            std::string::npos);
  r = store_->Remove("one:1", true, running);
  EXPECT_NE(r.status().message().find("cannot be forced"), std::string::npos);
  r = store_->Remove("one:1", false, none);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<std::string>{"Untagged: one:1", "Deleted: " + id}));
  EXPECT_FALSE(store_->Find(id).ok());
  EXPECT_EQ(store_->Remove("busybox", true, none).status().code(),
            base::Status::Code::kConflict);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
