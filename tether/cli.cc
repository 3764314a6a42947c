#include "tether/cli.h"

#include <getopt.h>

#include <cerrno>
#include <cstdlib>

namespace tether {
namespace {

// The command line is tini's: a few flags, then `--` and the command.
// glibc's getopt_long parses it: CLI11 cost the tether more than its
// start-up budget (building its parser for `tether -- CMD` was most of the
// time before exec, and ~200 KB of code in every image; docs/vm-image.md,
// "A lean tether").
constexpr char kUsage[] =
    "tether: the init of a container VM, or a tini-like init.\n"
    "  tether [OPTIONS] -- CMD [ARGS...]   run CMD as PID 1 would\n"
    "  tether --config FILE                run the sessions of FILE\n"
    "  tether                              (as /init) config from the "
    "hypervisor\n"
    "\n"
    "Options:\n"
    "  -h, --help              Print this help and exit\n"
    "  --config FILE           Read the configuration from FILE\n"
    "  -t, --tty               Run CMD on a pseudo-terminal\n"
    "  -g                      Forward signals to the primary's whole "
    "process group\n"
    "  --vm                    Do a container VM's early init (mounts, "
    "hostname, lo, /etc)\n"
    "  -u, --user USER         Run CMD as USER[:GROUP] (name or id)\n"
    "  -w, --workdir DIR       Run CMD in DIR\n"
    "  --drain-timeout MS      Milliseconds to wait for output, and for the "
    "endpoint\n"
    "                          to acknowledge it, after the last process "
    "(default\n"
    "                          5000; in a VM the endpoint gets 300000)\n"
    "  -v, --verbose           More logging (repeat for debug)\n"
    "  --version               Print the version and exit\n";

constexpr int64_t kMaxDrainTimeoutMs = 600000;

// Long options without a short form get codes past the characters.
enum LongOnly : int { kConfig = 256, kVm, kDrainTimeout, kVersion };

constexpr option kOptions[] = {
    {"help", no_argument, nullptr, 'h'},
    {"config", required_argument, nullptr, kConfig},
    {"tty", no_argument, nullptr, 't'},
    {"vm", no_argument, nullptr, kVm},
    {"user", required_argument, nullptr, 'u'},
    {"workdir", required_argument, nullptr, 'w'},
    {"drain-timeout", required_argument, nullptr, kDrainTimeout},
    {"verbose", no_argument, nullptr, 'v'},
    {"version", no_argument, nullptr, kVersion},
    {nullptr, 0, nullptr, 0}};

base::Result<int64_t> ParseDrainTimeout(const char* text) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < 0 ||
      v > kMaxDrainTimeoutMs) {
    return base::Status::InvalidArgument(
        std::string("--drain-timeout: want milliseconds from 0 to 600000, "
                    "got \"") +
        text + "\"");
  }
  return static_cast<int64_t>(v);
}

// The option getopt_long just stopped at, as the user wrote it.
std::string OptionName(char* const* argv, int index) {
  std::string name = argv[index];
  size_t eq = name.find('=');
  return eq == std::string::npos ? name : name.substr(0, eq);
}

// Applies one option; getopt_long has already matched it.
base::Status Apply(int c, const char* arg, CliOptions* o, int* verbose) {
  switch (c) {
    case 'h':
      o->help = true;
      break;
    case kConfig:
      o->config_path = arg;
      break;
    case 't':
      o->tty = true;
      break;
    case 'g':
      o->signal_group = true;
      break;
    case kVm:
      o->vm = true;
      break;
    case 'u':
      o->user = arg;
      break;
    case 'w':
      o->workdir = arg;
      break;
    case kDrainTimeout: {
      TETHER_ASSIGN_OR_RETURN(o->drain_timeout_ms, ParseDrainTimeout(arg));
      o->drain_timeout_given = true;
      break;
    }
    case 'v':
      ++*verbose;
      break;
    case kVersion:
      o->version = true;
      break;
  }
  return base::Status::Ok();
}

}  // namespace

base::Result<CliOptions> ParseCli(int argc, const char* const* argv) {
  CliOptions o;
  if (argc <= 1) return o;  // The kernel starts /init with no arguments.
  // Everything after "--" is the command, untouched by the parser, which
  // sees the rest in a copy it may reorder.
  std::vector<char*> args{const_cast<char*>(argv[0])};
  int i = 1;
  for (; i < argc && std::string(argv[i]) != "--"; ++i) {
    args.push_back(const_cast<char*>(argv[i]));
  }
  for (++i; i < argc; ++i) o.command.push_back(argv[i]);
  int n = static_cast<int>(args.size());
  args.push_back(nullptr);

  // "+": stop at the first argument that is no option (it is an error
  // below); ":": report a missing value as ':' instead of printing.
  optind = 0;  // glibc: start over, as a second call (tests) must.
  opterr = 0;
  int verbose = 0;
  int c;
  while ((c = getopt_long(n, args.data(), "+:hgtu:w:v", kOptions, nullptr)) !=
         -1) {
    // optind already points past the option (and its value).
    int at = optind - 1;
    if (c == '?') {
      std::string name = optopt != 0 ? std::string("-") + char(optopt)
                                     : OptionName(args.data(), at);
      return base::Status::InvalidArgument("unknown option " + name);
    }
    if (c == ':') {  // optind has moved past the option that lacks it.
      return base::Status::InvalidArgument(
          "option " + OptionName(args.data(), at) + " needs a value");
    }
    TETHER_RETURN_IF_ERROR(Apply(c, optarg, &o, &verbose));
  }
  if (optind < n) {
    return base::Status::InvalidArgument(
        std::string("unexpected argument \"") + args[optind] +
        "\": the command goes after --");
  }
  if (o.help) o.usage = kUsage;
  if (verbose > 0) o.verbosity = verbose;
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
