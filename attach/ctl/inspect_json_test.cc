#include "attach/ctl/inspect_json.h"

#include <gtest/gtest.h>

namespace attach {
namespace ctl {
namespace {

using tether::attach::ContainerStatus;

ContainerStatus Running() {
  ContainerStatus c;
  c.set_id(std::string(64, 'a'));
  c.set_name("web");
  c.set_created_at(1714566896);
  c.add_args("sh");
  c.add_args("-c");
  c.add_args("echo <hi> & bye");
  c.set_tty(true);
  c.set_state("running");
  c.set_started_at(1714566900);
  auto* s = c.add_sessions();
  s->set_id("main");
  s->set_primary(true);
  s->set_running(true);
  s->set_pid(42);
  return c;
}

constexpr char kConfig[] = R"({
  "version": 1, "id": "x",
  "endpoint": {"identity_key": "-----BEGIN OPENSSH PRIVATE KEY-----"},
  "sessions": [
    {"id": "side", "path": "/bin/true", "env": ["NO=1"]},
    {"id": "main", "primary": true, "path": "/bin/sh",
     "env": ["PATH=/bin", "A=b"], "user": "nobody", "workdir": "/srv",
     "open_stdin": true}
  ]})";

TEST(PrimarySessionFacts, TakesThePrimarysSettingsOnly) {
  base::Result<SessionFacts> f = PrimarySessionFacts(kConfig);
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->env, (std::vector<std::string>{"PATH=/bin", "A=b"}));
  EXPECT_EQ(f->user, "nobody");
  EXPECT_EQ(f->workdir, "/srv");
  EXPECT_TRUE(f->open_stdin);
}

TEST(PrimarySessionFacts, SingleSessionIsPrimaryAndGarbageIsAnError) {
  base::Result<SessionFacts> f =
      PrimarySessionFacts(R"({"sessions":[{"id":"main","user":"1000"}]})");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->user, "1000");
  EXPECT_FALSE(PrimarySessionFacts("{").ok());
  EXPECT_FALSE(PrimarySessionFacts(R"({"sessions":[]})").ok());
  EXPECT_FALSE(PrimarySessionFacts("[1]").ok());
}

TEST(InspectObject, HasDockersShapeAndOrder) {
  SessionFacts facts = *PrimarySessionFacts(kConfig);
  std::string text = RenderInspect({InspectObject(Running(), &facts)});
  const std::string id(64, 'a');
  EXPECT_EQ(text, R"([
    {
        "Id": ")" + id +
                      R"(",
        "Created": "2024-05-01T12:34:56Z",
        "Path": "sh",
        "Args": [
            "-c",
            "echo \u003chi\u003e \u0026 bye"
        ],
        "State": {
            "Status": "running",
            "Running": true,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": 42,
            "ExitCode": 0,
            "Error": "",
            "StartedAt": "2024-05-01T12:35:00Z",
            "FinishedAt": "0001-01-01T00:00:00Z"
        },
        "Name": "/web",
        "Config": {
            "User": "nobody",
            "Tty": true,
            "OpenStdin": true,
            "Env": [
                "PATH=/bin",
                "A=b"
            ],
            "Cmd": [
                "sh",
                "-c",
                "echo \u003chi\u003e \u0026 bye"
            ],
            "WorkingDir": "/srv"
        }
    }
]
)");
}

TEST(InspectObject, ExitedWithoutConfigUsesDefaults) {
  ContainerStatus c = Running();
  c.set_state("exited");
  c.set_exit_code(3);
  c.set_finished_at(1714566910);
  c.mutable_sessions(0)->set_running(false);
  c.mutable_sessions(0)->set_error("exec \"/x\": No such file or directory");
  nlohmann::ordered_json o = InspectObject(c, nullptr);
  EXPECT_EQ(o["State"]["Running"], false);
  EXPECT_EQ(o["State"]["Pid"], 0);
  EXPECT_EQ(o["State"]["ExitCode"], 3);
  EXPECT_EQ(o["State"]["FinishedAt"], "2024-05-01T12:35:10Z");
  EXPECT_EQ(o["State"]["Error"], "exec \"/x\": No such file or directory");
  EXPECT_EQ(o["Config"]["Env"], nlohmann::ordered_json::array());
  EXPECT_EQ(o["Config"]["User"], "");
}

TEST(RenderInspect, EmptyIsBrackets) { EXPECT_EQ(RenderInspect({}), "[]\n"); }

TEST(RenderInspect, InvalidUtf8BecomesReplacementCharacter) {
  ContainerStatus c = Running();
  c.set_name("bad\xff");
  std::string text = RenderInspect({InspectObject(c, nullptr)});
  EXPECT_NE(text.find("\"/bad\xef\xbf\xbd\""), std::string::npos) << text;
}

}  // namespace
}  // namespace ctl
}  // namespace attach
