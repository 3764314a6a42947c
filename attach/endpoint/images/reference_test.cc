// Image references and the built-in image, as docker names them.
#include "attach/endpoint/images/reference.h"

#include <gtest/gtest.h>

#include <fstream>

#include "attach/endpoint/images/image_store.h"
#include "attach/endpoint/testing/test_util.h"

namespace attach {
namespace endpoint {
namespace {

std::string Norm(const std::string& ref) {
  base::Result<std::string> r = NormalizeReference(ref);
  return r.ok() ? *r : "error: " + r.status().message();
}

TEST(Reference, FamiliarForms) {
  EXPECT_EQ(Norm("busybox"), "busybox:latest");
  EXPECT_EQ(Norm("busybox:1.36"), "busybox:1.36");
  EXPECT_EQ(Norm("library/busybox"), "busybox:latest");
  EXPECT_EQ(Norm("docker.io/library/busybox:latest"), "busybox:latest");
  EXPECT_EQ(Norm("index.docker.io/library/busybox"), "busybox:latest");
  EXPECT_EQ(Norm("docker.io/me/app"), "me/app:latest");
  EXPECT_EQ(Norm("localhost:5000/app"), "localhost:5000/app:latest");
  EXPECT_EQ(Norm("localhost:5000/app:v2"), "localhost:5000/app:v2");
  EXPECT_EQ(Norm("registry.example/a/b_c-d.e:t_1"),
            "registry.example/a/b_c-d.e:t_1");
  std::string digest = "@sha256:" + std::string(64, 'a');
  EXPECT_EQ(Norm("busybox" + digest), "busybox" + digest);
}

TEST(Reference, RefusesWhatDockerRefuses) {
  EXPECT_EQ(Norm("BusyBox"),
            "error: invalid reference format: repository name must be "
            "lowercase");
  for (const char* bad : {"", "busybox:", ":latest", "a//b", "-a", "a-", "a..b",
                          "busybox:-x", "busybox@sha256:xyz", "a b"}) {
    EXPECT_EQ(Norm(bad), "error: invalid reference format") << bad;
  }
  EXPECT_EQ(Norm(std::string(300, 'a')), "error: invalid reference format");
}

TEST(Reference, ImageIds) {
  EXPECT_TRUE(LooksLikeImageId("sha256:0123abcd"));
  EXPECT_TRUE(LooksLikeImageId("0123"));
  EXPECT_FALSE(LooksLikeImageId("busybox"));
  EXPECT_FALSE(LooksLikeImageId("sha256:"));
  EXPECT_FALSE(LooksLikeImageId(std::string(65, 'a')));
}

TEST(ImageStore, BuiltinIsBusyboxLatest) {
  testing::TempDir dir;
  std::string initrd = dir.path() + "/initramfs.cpio.lz4";
  std::ofstream(initrd) << "not really an initramfs";
  Image builtin = BuiltinImage(initrd);
  std::string id = builtin.id;
  EXPECT_EQ(id.size(), 7u + 64u);
  ImageStore store(std::move(builtin));
  for (const char* ref :
       {"busybox", "busybox:latest", "docker.io/library/busybox:latest"}) {
    base::Result<const Image*> found = store.Find(ref);
    ASSERT_TRUE(found.ok()) << ref;
    EXPECT_EQ((*found)->id, id);
    EXPECT_EQ((*found)->config.cmd, std::vector<std::string>{"sh"});
  }
  EXPECT_TRUE(store.Find(id).ok());
  EXPECT_TRUE(store.Find(id.substr(7, 12)).ok());
  base::Result<const Image*> missing = store.Find("alpine");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), base::Status::Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "No such image: alpine:latest");
  EXPECT_EQ(store.Find("Alpine").status().code(),
            base::Status::Code::kInvalidArgument);
  EXPECT_EQ(store.All().size(), 1u);
  EXPECT_NE(BuiltinImage(dir.path() + "/none").id, id);
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
