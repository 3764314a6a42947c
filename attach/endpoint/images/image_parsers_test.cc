// The parsers of outside input around images: image configs, docker's
// manifest.json, OCI indexes and manifests, import's changes.
#include <gtest/gtest.h>

#include "attach/endpoint/images/archive_manifest.h"
#include "attach/endpoint/images/image_config.h"
#include "attach/endpoint/images/image_merge.h"
#include "attach/endpoint/images/import_changes.h"

namespace attach {
namespace endpoint {
namespace {

const std::string kDiff = "sha256:" + std::string(64, 'a');

TEST(ImageConfig, ReadsWhatCreateNeeds) {
  base::Result<ImageMeta> m = ParseImageConfig(
      R"({"architecture":"amd64","os":"linux",
          "created":"2024-01-02T03:04:05.123456789Z",
          "config":{"Env":["PATH=/bin","A=1"],"Cmd":["sh"],
                    "Entrypoint":null,"WorkingDir":"/srv","User":"app",
                    "ExposedPorts":{"80/tcp":{}},"Labels":{"k":"v"}},
          "rootfs":{"type":"layers","diff_ids":[")" + kDiff + R"("]},
          "history":[{"comment":"first"},{"comment":"last"}],
          "unknown":{"ignored":true}})");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->config.env, (std::vector<std::string>{"PATH=/bin", "A=1"}));
  EXPECT_EQ(m->config.cmd, std::vector<std::string>{"sh"});
  EXPECT_TRUE(m->config.entrypoint.empty());
  EXPECT_EQ(m->config.workdir, "/srv");
  EXPECT_EQ(m->config.user, "app");
  EXPECT_EQ(m->config.exposed_ports, std::vector<std::string>{"80/tcp"});
  EXPECT_EQ(m->config.labels.at("k"), "v");
  EXPECT_EQ(m->created_unix, 1704164645);
  EXPECT_EQ(m->comment, "last");
  EXPECT_EQ(m->diff_ids, std::vector<std::string>{kDiff});
}

TEST(ImageConfig, RefusesWrongTypes) {
  EXPECT_FALSE(ParseImageConfig("[").ok());
  EXPECT_FALSE(ParseImageConfig(R"({"config":{"Env":"x"},"rootfs":{}})").ok());
  EXPECT_FALSE(ParseImageConfig(R"({"config":{}})").ok());
  base::Result<ImageMeta> m =
      ParseImageConfig(R"({"rootfs":{"diff_ids":["md5:x"]}})");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("rootfs.diff_ids[0]"), std::string::npos);
}

TEST(ImageConfig, Rfc3339) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T02:00:00+02:00"), 0);
  EXPECT_EQ(*ParseRfc3339("2024-01-02T03:04:05.5Z"), 1704164645);
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
  EXPECT_EQ(FormatRfc3339(1704164645), "2024-01-02T03:04:05Z");
}

TEST(ArchiveManifest, DockerManifest) {
  base::Result<std::vector<DockerManifestEntry>> m = ParseDockerManifest(
      R"([{"Config":"abc.json","RepoTags":["busybox:latest"],
           "Layers":["l1/layer.tar","l2/layer.tar"]}])");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)[0].config, "abc.json");
  EXPECT_EQ((*m)[0].layers.size(), 2u);
  EXPECT_FALSE(ParseDockerManifest("{}").ok());
  EXPECT_FALSE(ParseDockerManifest(R"([{"Config":1,"Layers":[]}])").ok());
  EXPECT_FALSE(ParseDockerManifest(R"([{"Config":"c"}])").ok());
}

TEST(ArchiveManifest, OciIndexAndManifest) {
  base::Result<std::vector<OciDescriptor>> idx = ParseOciIndex(
      R"({"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
          "digest":")" + kDiff + R"(","size":10,
          "annotations":{"io.containerd.image.name":"docker.io/library/a:1",
                         "org.opencontainers.image.ref.name":"1"},
          "platform":{"os":"linux","architecture":"amd64"}}]})");
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  EXPECT_EQ((*idx)[0].image_name, "docker.io/library/a:1");
  EXPECT_EQ((*idx)[0].ref_name, "1");
  EXPECT_EQ((*idx)[0].architecture, "amd64");
  EXPECT_FALSE(ParseOciIndex(R"({"manifests":[{"digest":"sha256:1"}]})").ok());
  base::Result<std::vector<OciDescriptor>> m = ParseOciManifest(
      R"({"config":{"digest":")" + kDiff + R"("},"layers":[{"digest":")" +
      kDiff + R"("}]})");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->size(), 2u);
  EXPECT_FALSE(ParseOciManifest(R"({"layers":[]})").ok());
}

TEST(ArchiveManifest, RefusesMembersOutsideTheArchive) {
  ArchiveMembers members;
  members["manifest.json"] = ArchiveMember{"m", 0, "", ""};
  ReadMember read = [](const ArchiveMember&, size_t) -> base::Result<std::string> {
    return std::string(R"([{"Config":"../../etc/passwd","Layers":[]}])");
  };
  base::Result<std::vector<ImagePlan>> plans = PlanArchive(members, read);
  ASSERT_FALSE(plans.ok());
  EXPECT_NE(plans.status().message().find("escapes"), std::string::npos)
      << plans.status().message();
  EXPECT_FALSE(PlanArchive(ArchiveMembers(), read).ok());
}

TEST(ImportChanges, DockerfileSubset) {
  ImageConfig c;
  base::Status s = ApplyChanges(
      {"ENV A=1 B=\"two words\"", "ENV C $A-${B}", "WORKDIR /srv",
       "WORKDIR app", "USER nobody", "CMD [\"echo\", \"hi\"]",
       "ENTRYPOINT /bin/run --flag", "EXPOSE 80 53/udp",
       "LABEL version=1.0 \"with space\"=yes", "ENV A=3"},
      &c);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(c.env, (std::vector<std::string>{"A=3", "B=two words",
                                             "C=1-two words"}));
  EXPECT_EQ(c.workdir, "/srv/app");
  EXPECT_EQ(c.user, "nobody");
  EXPECT_EQ(c.cmd, (std::vector<std::string>{"echo", "hi"}));
  EXPECT_EQ(c.entrypoint,
            (std::vector<std::string>{"/bin/sh", "-c", "/bin/run --flag"}));
  EXPECT_EQ(c.exposed_ports, (std::vector<std::string>{"80/tcp", "53/udp"}));
  EXPECT_EQ(c.labels.at("with space"), "yes");
}

TEST(ImportChanges, RefusesWhatDockerRefuses) {
  ImageConfig c;
  EXPECT_EQ(ApplyChanges({"RUN rm -rf /"}, &c).message(),
            "RUN is not a valid change command");
  EXPECT_FALSE(ApplyChanges({"EXPOSE 99999"}, &c).ok());
  EXPECT_FALSE(ApplyChanges({"ENV"}, &c).ok());
  EXPECT_FALSE(ApplyChanges({"ENV A=\"open"}, &c).ok());
  EXPECT_FALSE(ApplyChanges({"WORKDIR a b"}, &c).ok());
  EXPECT_TRUE(ApplyChanges({"", "# comment"}, &c).ok());
}

TEST(ImageMerge, AsDockerd) {
  ImageConfig image;
  image.env = {"PATH=/bin", "A=image"};
  image.cmd = {"serve"};
  image.entrypoint = {"/entry"};
  image.workdir = "/srv";
  image.user = "app";
  image.exposed_ports = {"80/tcp"};
  RunSpec none;
  EXPECT_EQ(*MergeImageConfig(image, &none),
            (std::vector<std::string>{"/entry", "serve"}));
  EXPECT_EQ(none.user, "app");
  EXPECT_EQ(none.workdir, "/srv");
  RunSpec cmd;
  cmd.cmd = {"echo", "hi"};
  cmd.env = {"A=mine"};
  cmd.user = "root";
  EXPECT_EQ(*MergeImageConfig(image, &cmd),
            (std::vector<std::string>{"/entry", "echo", "hi"}));
  EXPECT_EQ(cmd.env, (std::vector<std::string>{"A=mine", "PATH=/bin"}));
  EXPECT_EQ(cmd.user, "root");
  // --entrypoint "": dockerd gets [""], which drops the image's
  // Entrypoint and Cmd alike; the command given runs alone.
  RunSpec reset;
  reset.entrypoint = {""};
  reset.entrypoint_set = true;
  reset.cmd = {"ls"};
  EXPECT_EQ(*MergeImageConfig(image, &reset), std::vector<std::string>{"ls"});
  RunSpec entry;  // --entrypoint x: the image's Cmd is not used.
  entry.entrypoint = {"/bin/sh"};
  entry.entrypoint_set = true;
  EXPECT_EQ(*MergeImageConfig(image, &entry), std::vector<std::string>{"/bin/sh"});
  RunSpec empty;
  EXPECT_EQ(MergeImageConfig(ImageConfig(), &empty).status().message(),
            "No command specified");
}

}  // namespace
}  // namespace endpoint
}  // namespace attach
