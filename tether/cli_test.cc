#include "tether/cli.h"

#include <gtest/gtest.h>

namespace tether {
namespace {

base::Result<CliOptions> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "tether");
  return ParseCli(static_cast<int>(args.size()), args.data());
}

TEST(Cli, CommandAfterDoubleDashIsUntouched) {
  auto o = Parse({"-t", "-g", "--", "sh", "-c", "--config x", "--"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_TRUE(o->tty);
  EXPECT_TRUE(o->signal_group);
  EXPECT_EQ(o->command,
            (std::vector<std::string>{"sh", "-c", "--config x", "--"}));
}

TEST(Cli, NoArgumentsAsInitGiveTheDefaults) {
  auto o = Parse({});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  CliOptions d;
  EXPECT_TRUE(o->command.empty());
  EXPECT_TRUE(o->config_path.empty());
  EXPECT_FALSE(o->help || o->version || o->vm || o->tty || o->signal_group);
  EXPECT_EQ(o->verbosity, d.verbosity);
  EXPECT_EQ(o->drain_timeout_ms, d.drain_timeout_ms);
}

TEST(Cli, ConfigFileAndVerbosity) {
  auto o = Parse({"--config", "/etc/t.json", "-vv"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->config_path, "/etc/t.json");
  EXPECT_EQ(o->verbosity, 2);
  EXPECT_TRUE(o->command.empty());
}

TEST(Cli, Errors) {
  EXPECT_FALSE(Parse({"--bogus"}).ok());
  EXPECT_EQ(Parse({"--config", "x", "--", "true"}).status().message(),
            "--config and a command are mutually exclusive");
  EXPECT_EQ(Parse({"-t"}).status().message(),
            "-t, -u and -w apply to a command given after --");
  EXPECT_FALSE(Parse({"--drain-timeout", "x", "--", "true"}).ok());
}

TEST(Cli, ErrorsNameTheArgument) {
  EXPECT_EQ(Parse({"--bogus"}).status().message(), "unknown option --bogus");
  EXPECT_EQ(Parse({"-x", "--", "true"}).status().message(),
            "unknown option -x");
  EXPECT_EQ(Parse({"--config"}).status().message(),
            "option --config needs a value");
  EXPECT_EQ(Parse({"--", "true", "-u"}).ok(), true);  // The command's own.
  EXPECT_EQ(Parse({"-u"}).status().message(), "option -u needs a value");
  EXPECT_EQ(Parse({"sh", "-c", "x"}).status().message(),
            "unexpected argument \"sh\": the command goes after --");
  EXPECT_EQ(Parse({"--drain-timeout", "700000", "--", "true"})
                .status()
                .message(),
            "--drain-timeout: want milliseconds from 0 to 600000, got "
            "\"700000\"");
}

TEST(Cli, LongOptionsTakeValuesEitherWay) {
  auto o = Parse({"--user=1000:1000", "--workdir", "/w", "--drain-timeout=0",
                  "-vvv", "--", "id"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->user, "1000:1000");
  EXPECT_EQ(o->workdir, "/w");
  EXPECT_EQ(o->drain_timeout_ms, 0);
  EXPECT_TRUE(o->drain_timeout_given);
  EXPECT_EQ(o->verbosity, 3);
}

TEST(Cli, HelpIsNotAnError) {
  auto o = Parse({"--help"});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->help);
  EXPECT_NE(o->usage.find("--config"), std::string::npos);
}

TEST(Cli, CommandConfigIsTiniLike) {
  auto o = Parse({"-u", "1000", "-w", "/tmp", "--", "env"});
  ASSERT_TRUE(o.ok());
  guestinfo::Config c = CommandConfig(*o, {"A=1"});
  ASSERT_EQ(c.sessions.size(), 1u);
  const guestinfo::SessionConfig& s = c.sessions[0];
  EXPECT_TRUE(s.primary);
  EXPECT_EQ(s.path, "env");
  EXPECT_EQ(s.args, std::vector<std::string>{"env"});
  EXPECT_EQ(s.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(s.user, "1000");
  EXPECT_EQ(s.workdir, "/tmp");
  EXPECT_TRUE(s.open_stdin);
  EXPECT_TRUE(c.privileged);  // tini takes nothing away either.
  EXPECT_TRUE(c.config_file.empty());
}

}  // namespace
}  // namespace tether
