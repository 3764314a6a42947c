#include "attach/ctl/cli_args.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace attach {
namespace ctl {
namespace {

using Args = std::vector<std::string>;

ParseOutcome Parse(Args args, const char* env_state_dir = nullptr) {
  args.insert(args.begin(), "tetherctl");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  return ParseArgs(static_cast<int>(argv.size()), argv.data(), env_state_dir);
}

TEST(ParseArgs, StateDirComesFromFlagThenEnvThenDefault) {
  EXPECT_EQ(Parse({"ps"}).invocation->state_dir, "/var/lib/tether");
  EXPECT_EQ(Parse({"ps"}, "/run/t").invocation->state_dir, "/run/t");
  EXPECT_EQ(Parse({"--state-dir", "/x", "ps"}, "/run/t").invocation->state_dir,
            "/x");
}

TEST(ParseArgs, CreateTakesEverythingAfterDoubleDash) {
  ParseOutcome o =
      Parse({"create", "--name", "web", "-ti", "-e", "A=1", "-e", "B=2", "-u",
             "nobody", "-w", "/srv", "--endpoint", "tcp:10.0.0.1:2377",
             "--attach-before-start", "--", "sh", "-c", "echo --name"});
  ASSERT_TRUE(o.invocation) << o.err;
  const CreateArgs& c = o.invocation->create;
  EXPECT_EQ(o.invocation->command, Command::kCreate);
  EXPECT_EQ(c.name, "web");
  EXPECT_TRUE(c.tty);
  EXPECT_TRUE(c.interactive);
  EXPECT_EQ(c.env, (Args{"A=1", "B=2"}));
  EXPECT_EQ(c.user, "nobody");
  EXPECT_EQ(c.workdir, "/srv");
  EXPECT_EQ(c.endpoint, "tcp:10.0.0.1:2377");
  EXPECT_TRUE(c.attach_before_start);
  EXPECT_EQ(c.command, (Args{"sh", "-c", "echo --name"}));
}

TEST(ParseArgs, RunNamesAnImageOrDoubleDashKeepsTheCommand) {
  ParseOutcome o = Parse({"run", "-p", "127.0.0.1:8080:80", "-p", "53/udp",
                          "-P", "--entrypoint", "", "--network", "bridge",
                          "app:1", "ls", "-l"});
  ASSERT_TRUE(o.invocation) << o.err;
  const CreateArgs& c = o.invocation->create;
  EXPECT_EQ(c.publish, (Args{"127.0.0.1:8080:80", "53/udp"}));
  EXPECT_TRUE(c.publish_all);
  EXPECT_EQ(c.entrypoint, (Args{""}));
  EXPECT_EQ(c.network, "bridge");
  EXPECT_FALSE(c.dashdash);
  EXPECT_EQ(c.command, (Args{"app:1", "ls", "-l"}));
  o = Parse({"run", "--rm", "--", "sh", "-c", "true"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_TRUE(o.invocation->create.dashdash);
  o = Parse({"create", "--image", "app:1", "sh"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->create.image, "app:1");
}

TEST(ParseArgs, ImageCommands) {
  ParseOutcome o = Parse({"load", "-q", "-i", "app.tar"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->command, Command::kLoad);
  EXPECT_EQ(o.invocation->image.input, "app.tar");
  EXPECT_TRUE(o.invocation->image.quiet);
  o = Parse({"import", "-c", "ENV A=1", "-c", "CMD [\"sh\"]", "-m", "hi",
             "rootfs.tgz", "app:2"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->image.changes, (Args{"ENV A=1", "CMD [\"sh\"]"}));
  EXPECT_EQ(o.invocation->args, (Args{"rootfs.tgz", "app:2"}));
  o = Parse({"rmi", "-f", "a", "b"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_TRUE(o.invocation->image.force);
  EXPECT_EQ(o.invocation->args, (Args{"a", "b"}));
  o = Parse({"port", "web"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->containers, (Args{"web"}));
  EXPECT_EQ(Parse({"image", "ls", "x"}).exit_code, 1);
  EXPECT_EQ(Parse({"tag", "a"}).exit_code, 1);
}

TEST(ParseArgs, RunTakesCreateFlagsAndItsOwn) {
  ParseOutcome o = Parse({"run", "--rm", "-it", "-m", "512m", "-d", "--listen",
                          "127.0.0.1:0", "--name", "vm", "-e", "A=1", "sh",
                          "-c", "exit 7"});
  ASSERT_TRUE(o.invocation) << o.err;
  const Invocation& inv = *o.invocation;
  EXPECT_EQ(inv.command, Command::kRun);
  EXPECT_TRUE(inv.create.rm);
  EXPECT_TRUE(inv.create.tty);
  EXPECT_TRUE(inv.create.interactive);
  EXPECT_EQ(inv.create.memory, "512m");
  EXPECT_EQ(inv.create.name, "vm");
  EXPECT_EQ(inv.create.env, (Args{"A=1"}));
  EXPECT_TRUE(inv.run.detach);
  EXPECT_EQ(inv.run.listen, "127.0.0.1:0");
  EXPECT_EQ(inv.create.command, (Args{"sh", "-c", "exit 7"}));

  o = Parse({"run", "echo", "-d"});  // -d belongs to echo.
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_FALSE(o.invocation->run.detach);
  EXPECT_EQ(o.invocation->run.listen, "");  // attachd_starter picks.
  EXPECT_EQ(o.invocation->create.command, (Args{"echo", "-d"}));

  o = Parse({"run"});
  EXPECT_FALSE(o.invocation);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("\"tetherctl run\" requires at least 1 argument."),
            std::string::npos);
}

TEST(ParseArgs, StartTakesContainers) {
  ParseOutcome o = Parse({"start", "a", "b"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->command, Command::kStart);
  EXPECT_EQ(o.invocation->containers, (Args{"a", "b"}));
}

TEST(ParseArgs, ContainersAndCommandsMayBeNamedLikeTetherctlCommands) {
  ParseOutcome o = Parse({"logs", "run"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->command, Command::kLogs);
  o = Parse({"exec", "ps", "logs", "-f"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->command, Command::kExec);
  o = Parse({"create", "--", "ps", "aux"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_EQ(o.invocation->create.command, (Args{"ps", "aux"}));
}

TEST(ParseArgs, CreateWithoutDoubleDashStopsAtTheCommand) {
  ParseOutcome o = Parse({"create", "-t", "top", "-d", "1"});
  ASSERT_TRUE(o.invocation) << o.err;
  EXPECT_TRUE(o.invocation->create.tty);
  EXPECT_EQ(o.invocation->create.command, (Args{"top", "-d", "1"}));
}

TEST(ParseArgs, ExecOptionsEndAtTheContainer) {
  ParseOutcome o = Parse({"exec", "-it", "-e", "K=V", "-u", "0", "-w", "/",
                          "web", "sh", "-i", "-c", "ls -t"});
  ASSERT_TRUE(o.invocation) << o.err;
  const ExecArgs& e = o.invocation->exec;
  EXPECT_TRUE(e.interactive);
  EXPECT_TRUE(e.tty);
  EXPECT_EQ(e.env, (Args{"K=V"}));
  EXPECT_EQ(e.user, "0");
  EXPECT_EQ(o.invocation->containers, (Args{"web"}));
  EXPECT_EQ(e.command, (Args{"sh", "-i", "-c", "ls -t"}));
}

TEST(ParseArgs, CommandsAndTheirFlags) {
  ParseOutcome ps = Parse({"ps", "-a", "--no-trunc", "-q"});
  ASSERT_TRUE(ps.invocation);
  EXPECT_TRUE(ps.invocation->ps.all);
  EXPECT_TRUE(ps.invocation->ps.no_trunc);
  EXPECT_TRUE(ps.invocation->ps.quiet);

  ParseOutcome logs = Parse({"logs", "-f", "-t", "--tail", "10", "web"});
  ASSERT_TRUE(logs.invocation);
  EXPECT_TRUE(logs.invocation->logs.follow);
  EXPECT_TRUE(logs.invocation->logs.timestamps);
  EXPECT_EQ(logs.invocation->logs.tail, "10");
  EXPECT_EQ(Parse({"logs", "web"}).invocation->logs.tail, "all");

  ParseOutcome attach = Parse({"attach", "--no-stdin", "--detach-keys",
                               "ctrl-a,x", "--sig-proxy=false", "web"});
  ASSERT_TRUE(attach.invocation) << attach.err;
  EXPECT_TRUE(attach.invocation->attach.no_stdin);
  EXPECT_EQ(attach.invocation->attach.detach_keys, "ctrl-a,x");
  EXPECT_FALSE(attach.invocation->attach.sig_proxy);
  EXPECT_TRUE(Parse({"attach", "web"}).invocation->attach.sig_proxy);

  ParseOutcome kill = Parse({"kill", "-s", "TERM", "a", "b"});
  ASSERT_TRUE(kill.invocation);
  EXPECT_EQ(kill.invocation->kill_signal, "TERM");
  EXPECT_EQ(kill.invocation->containers, (Args{"a", "b"}));

  ParseOutcome rm = Parse({"rm", "-f", "a"});
  ASSERT_TRUE(rm.invocation);
  EXPECT_TRUE(rm.invocation->rm_force);

  EXPECT_EQ(Parse({"inspect", "a", "b"}).invocation->containers,
            (Args{"a", "b"}));
  EXPECT_EQ(Parse({"wait", "a"}).invocation->command, Command::kWait);
  EXPECT_EQ(Parse({"config", "a"}).invocation->command, Command::kConfig);
}

TEST(ParseArgs, WrongArgumentCountsUseDockersWording) {
  ParseOutcome o = Parse({"exec", "web"});
  EXPECT_FALSE(o.invocation);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.err,
            "\"tetherctl exec\" requires at least 2 arguments.\n"
            "See 'tetherctl exec --help'.\n\n"
            "Usage:  tetherctl exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\n"
            "Execute a command in a running container\n");
  EXPECT_EQ(Parse({"attach", "a", "b"}).err.substr(0, 51),
            "\"tetherctl attach\" requires exactly 1 argument.\nSee");
  EXPECT_EQ(Parse({"ps", "x"}).err.substr(0, 36),
            "\"tetherctl ps\" accepts no arguments.");
  EXPECT_EQ(Parse({"create"}).exit_code, 1);
}

TEST(ParseArgs, BadFlagsExit125AndUnknownCommandsExit1) {
  ParseOutcome flag = Parse({"ps", "--bogus"});
  EXPECT_FALSE(flag.invocation);
  EXPECT_EQ(flag.exit_code, 125);
  EXPECT_NE(flag.err.find("See 'tetherctl ps --help'."), std::string::npos);

  ParseOutcome missing = Parse({"create", "--name"});
  EXPECT_EQ(missing.exit_code, 125);

  ParseOutcome cmd = Parse({"bogus"});
  EXPECT_EQ(cmd.exit_code, 1);
  EXPECT_EQ(cmd.err,
            "tetherctl: 'bogus' is not a tetherctl command.\n"
            "See 'tetherctl --help'\n");
}

TEST(ParseArgs, HelpGoesToStdoutWithTheStateDirDocumented) {
  ParseOutcome top = Parse({"--help"});
  EXPECT_FALSE(top.invocation);
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("$TETHER_STATE_DIR"), std::string::npos);
  EXPECT_NE(top.out.find("/var/lib/tether"), std::string::npos);

  ParseOutcome exec = Parse({"exec", "--help"});
  EXPECT_NE(exec.out.find(
                "Usage: tetherctl exec [OPTIONS] CONTAINER COMMAND [ARG...]"),
            std::string::npos)
      << exec.out;
  EXPECT_EQ(Parse({}).exit_code, 0);
}

TEST(ResolveEnvFlags, BareNamesComeFromOurEnvironment) {
  ::setenv("TETHERCTL_TEST_VAR", "v1", 1);
  ::unsetenv("TETHERCTL_TEST_UNSET");
  EXPECT_EQ(ResolveEnvFlags(
                {"A=1", "TETHERCTL_TEST_VAR", "TETHERCTL_TEST_UNSET", "E="}),
            (Args{"A=1", "TETHERCTL_TEST_VAR=v1", "E="}));
}

}  // namespace
}  // namespace ctl
}  // namespace attach
