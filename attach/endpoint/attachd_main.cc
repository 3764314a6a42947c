// attachd: the endpoint multiplexer (docs/attachd.md).
//
//   attachd [--state-dir DIR] [--listen HOST:PORT] [--pidfile FILE]
//           [--kernel FILE] [--initrd FILE] [--qemu PROG] [--accel A] [-v]
//           [--api HOST:PORT [--api-tls verify|server|off]
//            [--tlscacert F --tlscert F --tlskey F] [--tls-san NAME]...]
//           [--admin HOST:PORT [--admin-password-file F]] [--log-file F]
//   attachd [--state-dir DIR] --print-fingerprint
//
// Foreground, logs to stderr (and to --log-file, DIR/attachd.log by
// default with --admin), SIGTERM or SIGINT stop it cleanly (exit 0),
// and with it the container VMs it runs.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "attach/endpoint/attachd_pprof.h"
#include "attach/endpoint/containers/state_files.h"
#include "attach/endpoint/daemon.h"
#include "attach/endpoint/log_file.h"
#include "attach/endpoint/stderr_log.h"
#include "attach/endpoint/tethers/hmac_cache.h"
#include "base/fd_io.h"
#include "base/log.h"
#include "base/uv_handle.h"

namespace {

using attach::endpoint::Daemon;
using attach::endpoint::DaemonOptions;
using attach::endpoint::LogOptions;
using attach::endpoint::VmOptions;

struct Cli {
  DaemonOptions daemon;
  bool print_fingerprint = false;
  int verbosity = 0;
  std::string pidfile;
  std::string config_patch_file;
  std::string pprof;  // Empty: no pprof server.
  std::string api_tls = "verify";
  std::string qemu_sandbox = "on";
  std::string log_file;  // Empty: DIR/attachd.log with --admin, else none.
};

// Where the container VM image is unless --kernel/--initrd say:
// $TETHER_IMAGE_DIR, else share/tether beside the bin/ attachd is in (the
// build tree's layout, and an install's).
std::string DefaultImageDir() {
  const char* env = std::getenv("TETHER_IMAGE_DIR");
  if (env != nullptr && env[0] != '\0') return env;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return "/usr/local/share/tether";
  std::filesystem::path bin =
      std::filesystem::path(std::string(self, static_cast<size_t>(n)))
          .parent_path();
  return (bin.parent_path() / "share" / "tether").string();
}

// Returns the exit code when the process should end at once (help, bad
// flags); -1 to go on.
int ParseCli(int argc, char** argv, Cli* cli) {
  CLI::App app{
      "attachd: accepts tethers over SSH and serves their "
      "containers to tetherctl",
      "attachd"};
  app.add_option("--state-dir", cli->daemon.state_dir,
                 "Keys, containers, logs and attachd.sock (created 0700)")
      ->type_name("DIR")
      ->capture_default_str();
  app.add_option("--listen", cli->daemon.listen,
                 "Numeric address for tethers (port 0 picks one)")
      ->type_name("HOST:PORT")
      ->capture_default_str();
  app.add_option("--pidfile", cli->pidfile,
                 "Write attachd's pid here once it is up (removed on a "
                 "clean stop)")
      ->type_name("FILE");
  VmOptions& vm = cli->daemon.vm;
  const std::string image_dir = DefaultImageDir();
  vm.image.kernel = image_dir + "/vmlinux";
  vm.image.initrd = image_dir + "/initramfs.cpio.lz4";
  app.add_option("--kernel", vm.image.kernel,
                 "Container VM kernel (uncompressed vmlinux)")
      ->type_name("FILE")
      ->capture_default_str();
  app.add_option("--initrd", vm.image.initrd, "Container VM initramfs")
      ->type_name("FILE")
      ->capture_default_str();
  app.add_option("--qemu", vm.image.qemu, "QEMU system emulator")
      ->type_name("PROG")
      ->capture_default_str();
  app.add_option("--accel", vm.accel,
                 "auto (KVM when usable, else TCG), kvm or tcg")
      ->capture_default_str();
  app.add_option("--qemu-user", vm.qemu_user,
                 "When attachd runs as root, the user QEMU drops to "
                 "(default: tether-qemu if it exists, else nobody; root "
                 "keeps it root)")
      ->type_name("USER");
  app.add_option("--qemu-sandbox", cli->qemu_sandbox,
                 "QEMU's seccomp sandbox (-sandbox on)")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  LogOptions& logs = cli->daemon.upkeep.logs;
  app.add_option("--log-max-size", logs.max_size,
                 "Session log size at which it is rotated (docker's "
                 "max-size; k, m, g suffixes)")
      ->transform(CLI::AsSizeValue(false))
      ->type_name("SIZE")
      ->capture_default_str();
  app.add_option("--log-max-file", logs.max_files,
                 "Log files kept per session, the current one included; a "
                 "container's logs take at most max-size * max-file")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--client-uid", cli->daemon.client_uids,
                 "Another user (numeric uid) attachd.sock serves besides "
                 "attachd's own and root (repeatable)")
      ->type_name("UID");
  app.add_option("--vm-config-patch", cli->config_patch_file,
                 "Tests only: JSON merge patch applied to every VM's "
                 "tether config after validation")
      ->type_name("FILE");
  app.add_option("--pprof", cli->pprof,
                 "Serve pprof profiles of attachd itself on this numeric "
                 "address (e.g. 127.0.0.1:6060; docs/pprof.md)")
      ->type_name("HOST:PORT");
  attach::endpoint::api::ApiOptions& api = cli->daemon.api;
  app.add_option("--api", api.listen,
                 "Serve the Docker Engine API on this numeric address "
                 "(2376 with TLS, 2375 without, by convention)")
      ->type_name("HOST:PORT");
  app.add_option("--api-tls", cli->api_tls,
                 "verify: TLS and client certificates (default); server: "
                 "TLS only; off: plain HTTP")
      ->check(CLI::IsMember({"verify", "server", "off"}))
      ->capture_default_str();
  app.add_option("--tlscacert", api.tls.ca_file,
                 "CA that signs client certificates (instead of DIR/certs)")
      ->type_name("FILE");
  app.add_option("--tlscert", api.tls.cert_file,
                 "Server certificate (instead of DIR/certs)")
      ->type_name("FILE");
  app.add_option("--tlskey", api.tls.key_file, "Server certificate's key")
      ->type_name("FILE");
  app.add_option("--tls-san", api.tls.extra_names,
                 "Another name or address for the generated server "
                 "certificate (repeatable)")
      ->type_name("NAME");
  attach::endpoint::admin::AdminOptions& admin = cli->daemon.admin;
  app.add_option("--admin", admin.listen,
                 "Serve the HTTPS admin portal (health, containers, logs) "
                 "on this numeric address (2378 by convention)")
      ->type_name("HOST:PORT");
  app.add_option("--admin-password-file", admin.password_file,
                 "The admin password's file (0600) instead of the one "
                 "generated into DIR/certs/admin-password")
      ->type_name("FILE");
  app.add_option("--log-file", cli->log_file,
                 "Also write attachd's log here, time-stamped, rotated to "
                 "FILE.1 at 16 MiB (default with --admin: DIR/attachd.log)")
      ->type_name("FILE");
  app.add_flag("--print-fingerprint", cli->print_fingerprint,
               "Print the host key's SHA256 fingerprint (creating the key "
               "on first use) and exit");
  app.add_flag("-v,--verbose", cli->verbosity,
               "More logging (repeat for debug)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  base::Result<attach::endpoint::certs::TlsMode> mode =
      attach::endpoint::certs::ParseTlsMode(cli->api_tls);
  if (!mode.ok()) {
    std::fprintf(stderr, "--api-tls: %s\n", mode.status().message().c_str());
    return 2;
  }
  api.tls.mode = *mode;
  vm.sandbox = cli->qemu_sandbox == "on";
  if (logs.max_size < 64 * 1024) {
    std::fprintf(stderr, "--log-max-size: at least 64k\n");
    return 2;
  }
  bool tls_flags = !api.tls.ca_file.empty() || !api.tls.cert_file.empty() ||
                   !api.tls.key_file.empty() || !api.tls.extra_names.empty();
  if (api.listen.empty() && admin.listen.empty() && tls_flags) {
    std::fprintf(stderr, "TLS flags need --api or --admin\n");
    return 2;
  }
  if (admin.listen.empty() && !admin.password_file.empty()) {
    std::fprintf(stderr, "--admin-password-file needs --admin\n");
    return 2;
  }
  if (cli->log_file.empty() && !admin.listen.empty()) {
    cli->log_file = cli->daemon.state_dir + "/attachd.log";
  }
  admin.log_file = cli->log_file;
  return -1;
}

// Thousands of tethers need thousands of descriptors: each costs one
// while idle (its socket, shared by the loop and libssh), plus its session
// log's while the log is among the most recently used (docs/attachd.md).
// The soft limit goes up to the hard one; the hard limit is the
// operator's (systemd LimitNOFILE=, prlimit) and is left alone, so a
// limit set on purpose holds. Returns the limit in force.
rlim_t RaiseFileLimit() {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rlim_t was = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
      LOG_WARN("open files: cannot raise %llu to the hard limit %llu: %s",
               static_cast<unsigned long long>(was),
               static_cast<unsigned long long>(rl.rlim_max),
               std::strerror(errno));
    }
  }
  (void)getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

// Descriptors kept for everything but tethers and their logs: listeners,
// the loop's own, attachd's log files, clients, QEMU pipes.
constexpr rlim_t kFixedFiles = 256;

// Splits the descriptors: session logs may hold an eighth (LogFdCache;
// the least recently used close first), connections that have not logged
// in at most a quarter, so a flood of them never keeps tethers, logs and
// clients out (review F3); the rest is room for tethers at one each.
void FitToFileLimit(rlim_t limit, attach::endpoint::DaemonOptions* d) {
  attach::endpoint::LinkTimings* t = &d->timings;
  size_t quarter = static_cast<size_t>(limit / 4);
  if (quarter < 16) quarter = 16;
  if (t->max_unauthenticated > quarter) t->max_unauthenticated = quarter;
  if (t->max_unauthenticated_per_peer > t->max_unauthenticated) {
    t->max_unauthenticated_per_peer = t->max_unauthenticated;
  }
  size_t logs = static_cast<size_t>(limit / 8);
  if (logs < 16) logs = 16;
  if (logs > 8192) logs = 8192;
  d->upkeep.max_open_logs = logs;
  // A small limit (a test's) keeps a quarter for the rest, not 256.
  rlim_t fixed = kFixedFiles < limit / 4 ? kFixedFiles : limit / 4;
  rlim_t used = fixed + logs;
  rlim_t room = limit > used ? limit - used : 0;
  // The limit at which 10,000 tethers fit: L - L/8 - fixed >= 10,000.
  unsigned long long for_10k = ((10000ull + kFixedFiles) * 8 + 6) / 7;
  LOG_INFO(
      "open files: %llu (room for about %llu tethers at one descriptor "
      "each, %zu for session logs, %llu for the rest; 10000 tethers need "
      "LimitNOFILE=%llu); at most %zu connections not logged in",
      static_cast<unsigned long long>(limit),
      static_cast<unsigned long long>(room), logs,
      static_cast<unsigned long long>(fixed), for_10k, t->max_unauthenticated);
}

// SIGTERM and SIGINT stop the daemon; the loop then runs out.
struct Signals {
  Daemon* daemon = nullptr;
  attach::endpoint::AttachdPprof* pprof = nullptr;
  base::UvHandle<uv_signal_t> term;
  base::UvHandle<uv_signal_t> intr;
};

void OnStopSignal(uv_signal_t* h, int signo) noexcept {
  Signals* s = static_cast<Signals*>(h->data);
  LOG_INFO("signal %d: stopping", signo);
  s->daemon->Stop();
  if (s->pprof != nullptr) s->pprof->Close();
  // The watchers would keep the loop alive; they have done their job.
  uv_signal_stop(s->term.get());
  uv_signal_stop(s->intr.get());
}

void WatchSignal(uv_loop_t* loop, Signals* s, base::UvHandle<uv_signal_t>* h,
                 int signo) {
  uv_signal_init(loop, h->get());
  h->MarkInitialized();
  (*h)->data = s;
  uv_signal_start(h->get(), &OnStopSignal, signo);
}

}  // namespace

int main(int argc, char** argv) {
  // A supervisor or script may start attachd with stdin closed; a socket
  // on fd 0 would make libuv abort when it closes it.
  base::EnsureStdio();
  base::SetLogProgram("attachd");
  Cli cli;
  int rc = ParseCli(argc, argv, &cli);
  if (rc >= 0) return rc;
  base::SetLogLevel(cli.verbosity >= 2 ? base::LogLevel::kDebug
                                       : base::LogLevel::kInfo);

  if (cli.print_fingerprint) {
    std::string fp;
    base::Result<attach::endpoint::SshKey> key =
        attach::endpoint::PrepareStateDir(cli.daemon.state_dir, &fp);
    if (!key.ok()) {
      LOG_ERROR("%s", key.status().ToString().c_str());
      return 1;
    }
    std::printf("%s\n", fp.c_str());
    return 0;
  }

  // Clients vanish mid-write; that is an error to handle, not a signal.
  signal(SIGPIPE, SIG_IGN);
  if (!attach::endpoint::EnableHmacCache()) {
    LOG_INFO("HMAC set-up cache off");
  }
  FitToFileLimit(RaiseFileLimit(), &cli.daemon);
  if (!cli.config_patch_file.empty()) {
    base::Result<std::string> patch =
        attach::endpoint::ReadFile(cli.config_patch_file);
    if (!patch.ok()) {
      LOG_ERROR("--vm-config-patch: %s", patch.status().ToString().c_str());
      return 1;
    }
    cli.daemon.vm.config_patch = *patch;
    LOG_WARN("every VM config gets the patch in %s (a test setting)",
             cli.config_patch_file.c_str());
  }
  // The log file first, so that start-up lines are in it; it may live in
  // the state directory, made here if this is the first start.
  std::unique_ptr<attach::endpoint::LogFile> log_file;
  if (!cli.log_file.empty()) {
    if (cli.log_file.rfind(cli.daemon.state_dir + "/", 0) == 0) {
      base::Result<attach::endpoint::SshKey> key =
          attach::endpoint::PrepareStateDir(cli.daemon.state_dir, nullptr);
      if (!key.ok()) {
        LOG_ERROR("%s", key.status().ToString().c_str());
        return 1;
      }
    }
    base::Result<std::unique_ptr<attach::endpoint::LogFile>> f =
        attach::endpoint::LogFile::Open(
            cli.log_file, attach::endpoint::LogFile::kDefaultMaxBytes);
    if (!f.ok()) {
      LOG_ERROR("%s", f.status().ToString().c_str());
      return 1;
    }
    log_file = std::move(*f);
    log_file->Install();
  }
  uv_loop_t loop;
  uv_loop_init(&loop);
  int exit_code = 0;
  {
    base::Result<std::unique_ptr<Daemon>> d = Daemon::Start(&loop, cli.daemon);
    if (!d.ok()) {
      LOG_ERROR("%s", d.status().ToString().c_str());
      exit_code = 1;
    } else {
      attach::endpoint::AttachdPprof pprof(&loop);
      Signals signals;
      signals.daemon = d->get();
      signals.pprof = &pprof;
      if (!cli.pprof.empty()) {
        base::Status ps = pprof.Start(cli.pprof);
        if (!ps.ok()) {
          LOG_ERROR("%s", ps.ToString().c_str());
          (*d)->Stop();
          exit_code = 1;
        }
      }
      attach::endpoint::StderrLogCap log_cap(
          &loop, attach::endpoint::kDefaultStderrLogMaxBytes);
      // --log-file rotates its own file; otherwise a stderr that is a file
      // (tetherctl run's attachd.log) is capped here.
      if (!log_file) (void)log_cap.Start();
      WatchSignal(&loop, &signals, &signals.term, SIGTERM);
      WatchSignal(&loop, &signals, &signals.intr, SIGINT);
      if (exit_code != 0) {  // No pprof server: stopping already.
        uv_signal_stop(signals.term.get());
        uv_signal_stop(signals.intr.get());
      }
      if (!cli.pidfile.empty()) {
        base::Status s = attach::endpoint::WriteFileAtomic(
            cli.pidfile, std::to_string(::getpid()) + "\n", 0644);
        if (!s.ok()) LOG_WARN("--pidfile: %s", s.ToString().c_str());
      }
      uv_run(&loop, UV_RUN_DEFAULT);
      if (!cli.pidfile.empty()) (void)::unlink(cli.pidfile.c_str());
    }
  }
  // Close callbacks of everything destroyed above.
  uv_run(&loop, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop) != 0) LOG_WARN("loop closed with handles open");
  return exit_code;
}
