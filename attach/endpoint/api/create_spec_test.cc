// The create body as the docker CLI sends it, and dockerd's merge with
// the image's config.
#include "attach/endpoint/api/create_spec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace attach {
namespace endpoint {
namespace api {
namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;

// What docker 20.10 sends for `docker run -i --rm -e A=B -w /tmp -u 1000
// alpine sh -c cat` (captured, shared/docker-api.md §3), trimmed.
constexpr char kCaptured[] = R"({"Hostname":"","Domainname":"","User":"1000",
"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"Tty":false,
"OpenStdin":true,"StdinOnce":true,"Env":["A=B"],"Cmd":["sh","-c","cat"],
"Image":"alpine","Volumes":{},"WorkingDir":"/tmp","Entrypoint":null,
"OnBuild":null,"Labels":{},"HostConfig":{"Binds":null,"NetworkMode":"default",
"PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},
"AutoRemove":true,"Memory":0},"NetworkingConfig":{"EndpointsConfig":{}}})";

ImageConfig Busybox() {
  ImageConfig c;
  c.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  c.cmd = {"sh"};
  return c;
}

TEST(CreateSpec, ReadsWhatTheCliSends) {
  base::Result<CreateBody> b = ParseCreateBody(kCaptured);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->image, "alpine");
  EXPECT_EQ(b->user, "1000");
  EXPECT_TRUE(b->open_stdin);
  EXPECT_TRUE(b->stdin_once);
  EXPECT_FALSE(b->tty);
  EXPECT_EQ(b->env, Strings{"A=B"});
  EXPECT_EQ(b->cmd, (Strings{"sh", "-c", "cat"}));
  EXPECT_FALSE(b->entrypoint_set);  // null is not set.
  EXPECT_TRUE(b->auto_remove);
  EXPECT_EQ(b->restart_policy, "no");
}

TEST(CreateSpec, WrongTypesAreNamedAsGoNamesThem) {
  auto err = [](const std::string& body) {
    base::Result<CreateBody> b = ParseCreateBody(body);
    return b.ok() ? std::string("ok") : b.status().message();
  };
  EXPECT_EQ(err(R"({"Image":"a","Env":"A=B"})"),
            "json: cannot unmarshal string into Go struct field Config.Env "
            "of type []string");
  EXPECT_EQ(err(R"({"Image":"a","Env":[1]})"),
            "json: cannot unmarshal number into Go struct field Config.Env "
            "of type string");
  EXPECT_EQ(err(R"({"Image":"a","Tty":"yes"})"),
            "json: cannot unmarshal string into Go struct field Config.Tty "
            "of type bool");
  EXPECT_EQ(err(R"({"Image":"a","HostConfig":{"Memory":"1g"}})"),
            "json: cannot unmarshal string into Go struct field "
            "HostConfig.Memory of type int64");
  EXPECT_EQ(err(R"({"Image":"a","HostConfig":[]})"),
            "json: cannot unmarshal array into Go struct field "
            "Config.HostConfig of type struct");
  EXPECT_EQ(err(R"([1,2])"),
            "json: cannot unmarshal array into Go value of type object");
  EXPECT_EQ(err(R"({"Cmd":["x"]})"),
            "No image specified: config.Image must be set");
  EXPECT_EQ(err("{\"Image\":"), err("{\"Image\":"));
  EXPECT_EQ(err("{\"Image\":").rfind("invalid JSON", 0), 0u);
}

TEST(CreateSpec, CmdMayBeAString) {
  base::Result<CreateBody> b =
      ParseCreateBody(R"({"Image":"a","Cmd":"true","Entrypoint":"/x"})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->cmd, Strings{"true"});
  EXPECT_EQ(b->entrypoint, Strings{"/x"});
  EXPECT_TRUE(b->entrypoint_set);
}

TEST(CreateSpec, MergeTakesTheImageCmdOnlyWithoutCmdOrEntrypoint) {
  CreateBody b;
  MergeImageConfig(Busybox(), &b);
  EXPECT_EQ(b.cmd, Strings{"sh"});
  EXPECT_EQ(b.env.size(), 1u);

  ImageConfig ep = Busybox();
  ep.entrypoint = {"/entry"};
  CreateBody with_cmd;
  with_cmd.cmd = {"echo", "hi"};
  MergeImageConfig(ep, &with_cmd);
  EXPECT_EQ(with_cmd.cmd, (Strings{"echo", "hi"}));
  EXPECT_EQ(with_cmd.entrypoint, Strings{"/entry"});

  CreateBody own_entry;
  own_entry.entrypoint = {"/mine"};
  own_entry.entrypoint_set = true;
  MergeImageConfig(ep, &own_entry);
  EXPECT_TRUE(own_entry.cmd.empty());  // The image's Cmd goes with its
  EXPECT_EQ(own_entry.entrypoint, Strings{"/mine"});  // Entrypoint.
}

TEST(CreateSpec, EntrypointResetKeepsTheUsersCmd) {
  ImageConfig ep = Busybox();
  ep.entrypoint = {"/entry"};
  CreateBody b;  // docker run --entrypoint "" img ls
  b.entrypoint = {""};
  b.entrypoint_set = true;
  b.cmd = {"ls"};
  MergeImageConfig(ep, &b);
  base::Result<ContainerRecord> r = RecordFor(b, "x", "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->args, Strings{"ls"});
}

TEST(CreateSpec, MergeAddsOnlyImageEnvTheUserDidNotSet) {
  ImageConfig img = Busybox();
  img.env.push_back("LANG=C");
  CreateBody b;
  b.env = {"PATH=/mine", "X=1"};
  MergeImageConfig(img, &b);
  EXPECT_EQ(b.env, (Strings{"PATH=/mine", "X=1", "LANG=C"}));
}

TEST(CreateSpec, RecordHasArgsAndWhatInspectShows) {
  base::Result<CreateBody> b = ParseCreateBody(kCaptured);
  ASSERT_TRUE(b.ok());
  ImageConfig img = Busybox();
  img.workdir = "/ignored";
  MergeImageConfig(img, &*b);
  base::Result<ContainerRecord> r = RecordFor(*b, "web", "sha256:abc");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "web");
  EXPECT_EQ(r->image, "sha256:abc");
  EXPECT_EQ(r->args, (Strings{"sh", "-c", "cat"}));
  EXPECT_EQ(r->workdir, "/tmp");
  EXPECT_TRUE(r->auto_remove);
  EXPECT_FALSE(r->attach_before_start);
  json api = json::parse(r->api);
  EXPECT_EQ(api["Config"]["Image"], "alpine");
  EXPECT_EQ(api["Config"]["StdinOnce"], true);
  EXPECT_TRUE(api["Config"]["Entrypoint"].is_null());
  EXPECT_EQ(api["HostConfig"]["AutoRemove"], true);
  EXPECT_EQ(api["HostConfig"]["RestartPolicy"]["Name"], "no");
}

TEST(CreateSpec, PrivilegedAndNoNewPrivilegesReachTheRecord) {
  base::Result<CreateBody> b = ParseCreateBody(
      R"({"Image":"a","Cmd":["x"],"HostConfig":{"Privileged":true,
          "SecurityOpt":["no-new-privileges"]}})");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  base::Result<ContainerRecord> r = RecordFor(*b, "x", "");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->privileged);
  EXPECT_TRUE(r->no_new_privileges);
  EXPECT_EQ(json::parse(r->api)["HostConfig"]["SecurityOpt"],
            json({"no-new-privileges"}));
  EXPECT_EQ(ParseCreateBody(R"({"Image":"a","HostConfig":{"SecurityOpt":
                               ["seccomp=unconfined"]}})")
                .status()
                .message(),
            "security option \"seccomp=unconfined\" is not supported by "
            "container VMs (only no-new-privileges)");
}

TEST(CreateSpec, RefusesWhatDockerdRefuses) {
  CreateBody none;
  EXPECT_EQ(RecordFor(none, "x", "").status().message(),
            "No command specified");
  CreateBody rel;
  rel.cmd = {"ls"};
  rel.workdir = "tmp";
  EXPECT_EQ(RecordFor(rel, "x", "").status().message(),
            "the working directory 'tmp' is invalid, it needs to be an "
            "absolute path");
  CreateBody tiny;
  tiny.cmd = {"ls"};
  tiny.memory = 6 << 20;
  EXPECT_EQ(RecordFor(tiny, "x", "").status().code(),
            base::Status::Code::kInvalidArgument);
  tiny.memory = 512 << 20;
  base::Result<ContainerRecord> ok = RecordFor(tiny, "x", "");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->memory_mb, 512u);
}

TEST(CreateSpec, PortBindingsAndPublishAll) {
  // docker run -p 127.0.0.1:8080:80 -p 53/udp -P with an image exposing
  // 80/tcp and 443/tcp.
  base::Result<CreateBody> b = ParseCreateBody(R"({"Image":"web",
    "Cmd":["httpd"],"ExposedPorts":{"80/tcp":{},"53/udp":{}},
    "HostConfig":{"NetworkMode":"default","PublishAllPorts":true,
    "PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}],
                    "53/udp":[{"HostIp":"","HostPort":""}]}}})");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ImageConfig image;
  image.exposed_ports = {"443/tcp", "80/tcp"};
  MergeImageConfig(image, &*b);
  base::Result<ContainerRecord> r = RecordFor(*b, "web", "sha256:x");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> shown;
  for (const PortMapping& m : r->ports) {
    shown.push_back(m.host_ip + ":" + std::to_string(m.host_port) + "->" +
                    std::to_string(m.container_port) + "/" + m.proto);
  }
  // Bindings in key order, then -P's ports.
  EXPECT_EQ(shown, (Strings{":0->53/udp", "127.0.0.1:8080->80/tcp",
                            ":0->443/tcp"}));
  EXPECT_EQ(r->network, "default");
  json host = json::parse(r->api)["HostConfig"];
  EXPECT_EQ(host["PortBindings"]["80/tcp"][0]["HostPort"], "8080");
  EXPECT_EQ(host["PublishAllPorts"], true);
}

TEST(CreateSpec, BadPortBindingsAreNamed) {
  auto err = [](const std::string& bindings) {
    base::Result<CreateBody> b = ParseCreateBody(
        R"({"Image":"a","HostConfig":{"PortBindings":)" + bindings + "}}");
    return b.ok() ? std::string("ok") : b.status().message();
  };
  EXPECT_EQ(err(R"({"http/tcp":[]})"),
            "invalid port specification: \"http/tcp\"");
  EXPECT_EQ(err(R"({"70000/tcp":[]})"),
            "invalid port specification: \"70000/tcp\"");
  EXPECT_EQ(err(R"({"80/tcp":[{"HostPort":"8000-8010"}]})"),
            "invalid host port \"8000-8010\": container VMs publish one "
            "port number per binding, not a range");
  EXPECT_EQ(err(R"({"80/tcp":{"HostPort":"1"}})"),
            "json: cannot unmarshal object into Go struct field "
            "HostConfig.PortBindings of type []nat.PortBinding");
  EXPECT_EQ(err(R"({"80/tcp":[{"HostPort":80}]})"),
            "json: cannot unmarshal number into Go struct field "
            "PortBinding.HostPort of type string");
  EXPECT_EQ(err(R"({"80/tcp":null})"), "ok");
}

}  // namespace
}  // namespace api
}  // namespace endpoint
}  // namespace attach
