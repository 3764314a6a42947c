#include "attach/ctl/cli_args.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>

namespace attach {
namespace ctl {
namespace {

struct Spec {
  Command command;
  const char* name;
  const char* usage;    // After "tetherctl ".
  const char* summary;  // docker's one-line description.
  size_t min_args;
  size_t max_args;  // SIZE_MAX: no limit.
};

constexpr size_t kMany = SIZE_MAX;

constexpr Spec kSpecs[] = {
    {Command::kCreate, "create",
     "create [OPTIONS] [IMAGE] [--] COMMAND [ARG...]",
     "Create a new container", 1, kMany},
    {Command::kConfig, "config", "config CONTAINER",
     "Print a container's tether config JSON (for tether --config)", 1, 1},
    {Command::kPs, "ps", "ps [OPTIONS]", "List containers", 0, 0},
    {Command::kInspect, "inspect", "inspect CONTAINER [CONTAINER...]",
     "Return low-level information on containers", 1, kMany},
    {Command::kLogs, "logs", "logs [OPTIONS] CONTAINER",
     "Fetch the logs of a container", 1, 1},
    {Command::kAttach, "attach", "attach [OPTIONS] CONTAINER",
     "Attach local standard input, output, and error streams to a running "
     "container",
     1, 1},
    {Command::kExec, "exec", "exec [OPTIONS] CONTAINER COMMAND [ARG...]",
     "Execute a command in a running container", 2, kMany},
    {Command::kKill, "kill", "kill [OPTIONS] CONTAINER [CONTAINER...]",
     "Kill one or more running containers", 1, kMany},
    {Command::kWait, "wait", "wait CONTAINER [CONTAINER...]",
     "Block until one or more containers stop, then print their exit codes", 1,
     kMany},
    {Command::kRm, "rm", "rm [OPTIONS] CONTAINER [CONTAINER...]",
     "Remove one or more containers", 1, kMany},
    {Command::kRun, "run", "run [OPTIONS] [IMAGE] [--] COMMAND [ARG...]",
     "Create and run a new container VM", 1, kMany},
    {Command::kStart, "start", "start CONTAINER [CONTAINER...]",
     "Start one or more stopped containers", 1, kMany},
    {Command::kPprof, "pprof", "pprof [OPTIONS] CONTAINER",
     "Serve a container's pprof profiles on a local port, through attachd",
     1, 1},
    {Command::kLoad, "load", "load [OPTIONS]",
     "Load an image from a tar archive or STDIN", 0, 0},
    {Command::kImport, "import", "import [OPTIONS] file|- [REPOSITORY[:TAG]]",
     "Import the contents from a tarball to create a filesystem image", 1,
     2},
    {Command::kImages, "images", "images [OPTIONS] [REPOSITORY[:TAG]]",
     "List images", 0, 1},
    {Command::kRmi, "rmi", "rmi [OPTIONS] IMAGE [IMAGE...]",
     "Remove one or more images", 1, kMany},
    {Command::kTag, "tag", "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
     "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", 2, 2},
    {Command::kImage, "image", "image inspect IMAGE [IMAGE...]",
     "Display detailed information on one or more images", 2, kMany},
    {Command::kPort, "port", "port CONTAINER",
     "List port mappings for the container", 1, 1},
};

constexpr char kFooter[] =
    "The state directory holds attachd's socket, attachd.sock. Default: "
    "$TETHER_STATE_DIR if set, else /var/lib/tether.\n"
    "Containers are named by full id, unique id prefix, or name.";

// CLI11's help with docker-like usage lines: the arguments each command
// takes, which CLI11 would only show as "[ARGS...]".
class UsageFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    for (const Spec& spec : kSpecs) {
      if (app->get_name() == spec.name) {
        return "Usage: tetherctl " + std::string(spec.usage) + "\n";
      }
    }
    if (app->get_parent() == nullptr) {
      return "Usage: tetherctl [--state-dir DIR] COMMAND [OPTIONS] "
             "[ARG...]\n";
    }
    return CLI::Formatter::make_usage(app, std::move(name));
  }
};

// docker's wording for a wrong argument count, e.g.
// "tetherctl exec" requires at least 2 arguments.
std::string CountError(const Spec& spec) {
  std::string what;
  if (spec.max_args == 0) {
    what = "accepts no arguments.";
  } else if (spec.min_args == spec.max_args) {
    what = "requires exactly " + std::to_string(spec.min_args) + " argument" +
           (spec.min_args == 1 ? "." : "s.");
  } else {
    what = "requires at least " + std::to_string(spec.min_args) + " argument" +
           (spec.min_args == 1 ? "." : "s.");
  }
  return "\"tetherctl " + std::string(spec.name) + "\" " + what +
         "\nSee 'tetherctl " + spec.name + " --help'.\n\nUsage:  tetherctl " +
         spec.usage + "\n\n" + spec.summary + "\n";
}

// create's flags, which run shares.
void AddCreateFlags(CLI::App* sub, CreateArgs& c) {
  sub->add_option("--name", c.name, "Assign a name to the container");
  sub->add_flag("-t,--tty", c.tty, "Allocate a pseudo-TTY");
  sub->add_flag("-i,--interactive", c.interactive,
                "Keep STDIN open even if not attached");
  sub->add_option("-e,--env", c.env, "Set environment variables")
      ->allow_extra_args(false)
      ->type_name("K=V");
  sub->add_option("-u,--user", c.user,
                  "Username or UID (format: <name|uid>[:<group|gid>])");
  sub->add_option("-w,--workdir", c.workdir,
                  "Working directory inside the container");
  sub->add_option("--endpoint", c.endpoint,
                  "Address the tether dials (default: attachd's)")
      ->type_name("ADDR");
  sub->add_flag("--attach-before-start", c.attach_before_start,
                "Start the command only once a client attached");
  sub->add_option("-m,--memory", c.memory,
                  "VM memory: MiB, or a size with b, k, m or g "
                  "(default 256m)");
  sub->add_flag("--rm", c.rm,
                "Automatically remove the container when it exits");
  sub->add_option("--image", c.image,
                  "The image to run (default: the first argument when it "
                  "names an image, else the VM image's own busybox root)");
  sub->add_option("-p,--publish", c.publish,
                  "Publish a container's port(s) to the host")
      ->allow_extra_args(false)
      ->type_name("[IP:][HOST:]PORT[/PROTO]");
  sub->add_flag("-P,--publish-all", c.publish_all,
                "Publish all exposed ports to free host ports");
  sub->add_option("--entrypoint", c.entrypoint,
                  "Overwrite the default ENTRYPOINT of the image")
      ->allow_extra_args(false)
      ->expected(1);
  sub->add_option("--network", c.network,
                  "Connect a container to a network: bridge or none");
}

void AddImageFlags(Command command, CLI::App* sub, ImageArgs& i) {
  switch (command) {
    case Command::kLoad:
      sub->add_option("-i,--input", i.input,
                      "Read from tar archive file, instead of STDIN");
      sub->add_flag("-q,--quiet", i.quiet, "Suppress the load output");
      return;
    case Command::kImport:
      sub->add_option("-c,--change", i.changes,
                      "Apply Dockerfile instruction to the created image")
          ->allow_extra_args(false);
      sub->add_option("-m,--message", i.message,
                      "Set commit message for imported image");
      return;
    case Command::kImages:
      sub->add_flag("-a,--all", i.all, "Show all images");
      sub->add_flag("-q,--quiet", i.quiet, "Only show image IDs");
      sub->add_flag("--no-trunc", i.no_trunc, "Don't truncate output");
      return;
    case Command::kRmi:
      sub->add_flag("-f,--force", i.force, "Force removal of the image");
      return;
    default:
      return;
  }
}

// Binds each command's flags; `positional` receives every argument.
void AddFlags(Command command, CLI::App* sub, Invocation* inv) {
  switch (command) {
    case Command::kCreate:
      AddCreateFlags(sub, inv->create);
      return;
    case Command::kRun: {
      AddCreateFlags(sub, inv->create);
      RunArgs& r = inv->run;
      sub->add_flag("-d,--detach", r.detach,
                    "Run container in background and print container ID");
      sub->add_option("--listen", r.listen,
                      "Where an attachd that run starts listens for tethers "
                      "(default: a free port on 127.0.0.1)")
          ->type_name("HOST:PORT");
      sub->add_option("--detach-keys", r.detach_keys,
                      "Override the key sequence for detaching a container");
      sub->add_flag("--sig-proxy{true}", r.sig_proxy,
                    "Proxy received signals to the process (non-TTY; "
                    "--sig-proxy=false to disable)");
      return;
    }
    case Command::kPs:
      sub->add_flag("-a,--all", inv->ps.all,
                    "Show all containers (default shows just running)");
      sub->add_flag("--no-trunc", inv->ps.no_trunc, "Don't truncate output");
      sub->add_flag("-q,--quiet", inv->ps.quiet, "Only display container IDs");
      return;
    case Command::kLogs:
      sub->add_flag("-f,--follow", inv->logs.follow, "Follow log output");
      sub->add_flag("-t,--timestamps", inv->logs.timestamps, "Show timestamps");
      sub->add_option("-n,--tail", inv->logs.tail,
                      "Number of lines to show from the end of the logs "
                      "(default \"all\")");
      return;
    case Command::kAttach:
      sub->add_flag("--no-stdin", inv->attach.no_stdin, "Do not attach STDIN");
      sub->add_option("--detach-keys", inv->attach.detach_keys,
                      "Override the key sequence for detaching a container "
                      "(default \"ctrl-p,ctrl-q\")");
      sub->add_flag("--sig-proxy{true}", inv->attach.sig_proxy,
                    "Proxy all received signals to the process (non-TTY; "
                    "--sig-proxy=false to disable)");
      return;
    case Command::kExec: {
      ExecArgs& e = inv->exec;
      sub->add_flag("-i,--interactive", e.interactive,
                    "Keep STDIN open even if not attached");
      sub->add_flag("-t,--tty", e.tty, "Allocate a pseudo-TTY");
      sub->add_option("-e,--env", e.env, "Set environment variables")
          ->allow_extra_args(false)
          ->type_name("K=V");
      sub->add_option("-u,--user", e.user,
                      "Username or UID (format: <name|uid>[:<group|gid>])");
      sub->add_option("-w,--workdir", e.workdir,
                      "Working directory inside the container");
      sub->add_option("--detach-keys", e.detach_keys,
                      "Override the key sequence for detaching a container");
      return;
    }
    case Command::kKill:
      sub->add_option("-s,--signal", inv->kill_signal,
                      "Signal to send to the container (default \"KILL\")");
      return;
    case Command::kRm:
      sub->add_flag("-f,--force", inv->rm_force,
                    "Force the removal of a running container (uses SIGKILL)");
      return;
    case Command::kPprof:
      sub->add_option("--listen", inv->pprof_listen,
                      "Numeric address to serve on (port 0 picks one)")
          ->type_name("HOST:PORT")
          ->capture_default_str();
      return;
    case Command::kConfig:
    case Command::kInspect:
    case Command::kWait:
    case Command::kStart:
    case Command::kTag:
    case Command::kImage:
    case Command::kPort:
      return;
    case Command::kLoad:
    case Command::kImport:
    case Command::kImages:
    case Command::kRmi:
      AddImageFlags(command, sub, inv->image);
      return;
  }
}

// Splits the arguments of a parsed command into containers and command.
void AssignArgs(const Spec& spec, std::vector<std::string> args,
                Invocation* inv) {
  if (spec.command == Command::kCreate || spec.command == Command::kRun) {
    inv->create.command = std::move(args);
  } else if (spec.command >= Command::kLoad && spec.command != Command::kPort) {
    inv->args = std::move(args);
  } else if (spec.command == Command::kExec) {
    inv->containers.push_back(args.front());
    inv->exec.command.assign(args.begin() + 1, args.end());
  } else {
    inv->containers = std::move(args);
  }
}

ParseOutcome UsageError(std::string message, const char* command) {
  ParseOutcome o;
  o.exit_code = 125;
  o.err = "tetherctl: " + message + "\nSee 'tetherctl" +
          (command ? std::string(" ") + command : std::string()) +
          " --help'.\n";
  return o;
}

// ParseArgs without the outer catch: CLI11 reports parse problems and
// construction mistakes alike by throwing.
ParseOutcome Parse(int argc, const char* const* argv,
                   const char* env_state_dir) {
  Invocation inv;
  inv.state_dir = env_state_dir != nullptr && env_state_dir[0] != '\0'
                      ? env_state_dir
                      : kDefaultStateDir;
  CLI::App app{"tetherctl: manage container VMs through attachd.", "tetherctl"};
  app.footer(kFooter);
  app.formatter(std::make_shared<UsageFormatter>());
  app.set_help_flag("-h,--help", "Print usage");
  app.add_option("--state-dir", inv.state_dir,
                 "attachd's state directory (default $TETHER_STATE_DIR, "
                 "else /var/lib/tether)")
      ->type_name("DIR");

  std::vector<std::vector<std::string>> positionals(std::size(kSpecs));
  std::vector<CLI::App*> subs;
  for (size_t i = 0; i < std::size(kSpecs); ++i) {
    const Spec& spec = kSpecs[i];
    CLI::App* sub = app.add_subcommand(spec.name, spec.summary);
    sub->set_help_flag("-h,--help", "Print usage");
    sub->footer(kFooter);
    AddFlags(spec.command, sub, &inv);
    // Hidden (empty group): the usage line names the arguments.
    sub->add_option("ARGS", positionals[i])->group("");
    // Options end at the first argument, like docker's non-interspersed
    // flags: exec's COMMAND keeps its own options. pprof has no command,
    // so `pprof ID --listen ADDR` works too.
    sub->positionals_at_end(spec.command != Command::kPprof);
    subs.push_back(sub);
  }
  // Set after the subcommands exist so they do not inherit it: an unknown
  // word at the top is an unknown command, reported below.
  app.allow_extras(true);
  // One command per invocation. Without the cap CLI11 reads an argument
  // that names a command as that command (`tetherctl logs run` would run
  // `run`); docker takes it as the container's name, and so do we.
  app.require_subcommand(0, 1);

  ParseOutcome outcome;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    outcome.out = app.help();
    return outcome;
  } catch (const CLI::ParseError& e) {
    const char* command = nullptr;
    for (size_t i = 0; i < subs.size(); ++i) {
      if (subs[i]->parsed()) command = kSpecs[i].name;
    }
    return UsageError(e.what(), command);
  }

  for (size_t i = 0; i < subs.size(); ++i) {
    if (!subs[i]->parsed()) continue;
    const Spec& spec = kSpecs[i];
    std::vector<std::string>& args = positionals[i];
    if (args.size() < spec.min_args || args.size() > spec.max_args) {
      outcome.exit_code = 1;
      outcome.err = CountError(spec);
      return outcome;
    }
    inv.command = spec.command;
    if (!args.empty()) {
      // `--` before the first argument: all of them are the command, as
      // before images existed (`run -- sh` runs the VM image's sh).
      for (int a = 1; a + 1 < argc; ++a) {
        if (std::string(argv[a]) == "--") {
          inv.create.dashdash = args.front() == argv[a + 1];
          break;
        }
        if (std::string(argv[a]) == args.front()) break;
      }
    }
    if (spec.command == Command::kImage && args.front() != "inspect") {
      outcome.exit_code = 1;
      outcome.err = "tetherctl: 'image " + args.front() +
                    "' is not a tetherctl command (image has: inspect).\n";
      return outcome;
    }
    AssignArgs(spec, std::move(args), &inv);
    outcome.invocation = std::move(inv);
    return outcome;
  }

  std::vector<std::string> rest = app.remaining();
  if (rest.empty()) {
    outcome.out = app.help();  // Bare `tetherctl`, as bare `docker`.
    return outcome;
  }
  if (rest.front().rfind("-", 0) == 0) {
    return UsageError("unknown flag: " + rest.front(), nullptr);
  }
  outcome.exit_code = 1;
  outcome.err = "tetherctl: '" + rest.front() +
                "' is not a tetherctl command.\nSee 'tetherctl --help'\n";
  return outcome;
}

}  // namespace

ParseOutcome ParseArgs(int argc, const char* const* argv,
                       const char* env_state_dir) {
  try {
    return Parse(argc, argv, env_state_dir);
  } catch (const std::exception& e) {
    // A construction mistake in Parse (or memory exhaustion): never
    // input, but still not allowed to escape.
    ParseOutcome o;
    o.exit_code = 125;
    o.err = std::string("tetherctl: internal error: ") + e.what() + "\n";
    return o;
  }
}

std::vector<std::string> ResolveEnvFlags(const std::vector<std::string>& env) {
  std::vector<std::string> out;
  for (const std::string& e : env) {
    if (e.find('=') != std::string::npos) {
      out.push_back(e);
    } else if (const char* value = std::getenv(e.c_str())) {
      out.push_back(e + "=" + value);
    }
  }
  return out;
}

}  // namespace ctl
}  // namespace attach
