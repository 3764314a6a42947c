#include "tether/cli.h"

#include <CLI/CLI.hpp>

namespace tether {

base::Result<CliOptions> ParseCli(int argc, const char* const* argv) {
  CliOptions o;
  // The kernel starts /init with no arguments. Building CLI11's parser
  // would cost ~40 ms of a TCG boot to learn nothing.
  if (argc <= 1) return o;
  CLI::App app{
      "tether: the init of a container VM, or a tini-like init.\n"
      "  tether [OPTIONS] -- CMD [ARGS...]   run CMD as PID 1 would\n"
      "  tether --config FILE                run the sessions of FILE\n"
      "  tether                              (as /init) config from the "
      "hypervisor",
      "tether"};
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.add_option("--config", o.config_path, "Read the configuration from FILE")
      ->type_name("FILE");
  app.add_flag("-t,--tty", o.tty, "Run CMD on a pseudo-terminal");
  app.add_flag("-g", o.signal_group,
               "Forward signals to the primary's whole process group");
  app.add_flag("--vm", o.vm,
               "Do a container VM's early init (mounts, hostname, lo, /etc)");
  app.add_option("-u,--user", o.user, "Run CMD as USER[:GROUP] (name or id)");
  app.add_option("-w,--workdir", o.workdir, "Run CMD in DIR");
  CLI::Option* drain =
      app.add_option("--drain-timeout", o.drain_timeout_ms,
                     "Milliseconds to wait for output, and for the endpoint "
                     "to acknowledge it, after the last process (default "
                     "5000; in a VM the endpoint gets 300000)")
          ->check(CLI::Range(int64_t{0}, int64_t{600000}));
  int v = 0;
  app.add_flag("-v,--verbose", v, "More logging (repeat for debug)");
  app.add_flag("--version", o.version, "Print the version and exit");
  app.allow_extras(false);
  app.prefix_command(false);

  // Everything after "--" is the command, untouched by CLI11.
  std::vector<std::string> args;
  int i = 1;
  for (; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      ++i;
      break;
    }
    args.push_back(argv[i]);
  }
  for (; i < argc; ++i) o.command.push_back(argv[i]);
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector.
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    o.help = true;
  } catch (const CLI::ParseError& e) {
    return base::Status::InvalidArgument(e.what());
  }
  if (o.help) o.usage = app.help();  // Formatting it costs ~30 ms under TCG.
  o.drain_timeout_given = drain->count() > 0;
  if (v > 0) o.verbosity = v;
  if (!o.command.empty() && !o.config_path.empty()) {
    return base::Status::InvalidArgument(
        "--config and a command are mutually exclusive");
  }
  if (o.command.empty() && (o.tty || !o.user.empty() || !o.workdir.empty())) {
    return base::Status::InvalidArgument(
        "-t, -u and -w apply to a command given after --");
  }
  return o;
}

guestinfo::Config CommandConfig(const CliOptions& options,
                                std::vector<std::string> env) {
  guestinfo::Config config;
  config.name = "tether";
  // As tini: CMD runs with the tether's own capabilities and mounts. The
  // confinement is for containers described by a config.
  config.privileged = true;
  guestinfo::SessionConfig s;
  s.id = "main";
  s.primary = true;
  s.path = options.command.front();
  s.args = options.command;
  s.env = std::move(env);
  s.workdir = options.workdir;  // Empty: stay where we are, like tini.
  s.user = options.user;
  s.tty = options.tty;
  s.open_stdin = true;
  config.sessions.push_back(std::move(s));
  return config;
}

}  // namespace tether
