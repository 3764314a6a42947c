#include "attach/ctl/attachd_starter.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "attach/ctl/client_conn.h"
#include "base/unique_fd.h"
#include "http/listen_address.h"

extern char** environ;

namespace attach {
namespace ctl {
namespace {

constexpr int kWaitMs = 15000;
constexpr int kPollMs = 25;

// The last non-empty line of attachd's log, for an error message.
std::string LastLogLine(const std::string& path) {
  base::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return "";
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return "";
  off_t from = st.st_size > 4096 ? st.st_size - 4096 : 0;
  std::string buf(static_cast<size_t>(st.st_size - from), '\0');
  ssize_t n = ::pread(fd.get(), &buf[0], buf.size(), from);
  buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
  while (!buf.empty() && buf.back() == '\n') buf.pop_back();
  size_t nl = buf.rfind('\n');
  return nl == std::string::npos ? buf : buf.substr(nl + 1);
}

// The state directory and its parents; attachd tightens it to 0700
// itself, but its log goes there before it runs.
base::Status MakeStateDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return base::Status::Io("create " + dir, ec.value());
  if (::chmod(dir.c_str(), 0700) != 0) {
    return base::Status::Io("chmod " + dir, errno);
  }
  return base::Status::Ok();
}

base::Result<pid_t> SpawnDetached(const std::vector<std::string>& argv,
                                  const std::string& log_path) {
  base::UniqueFd log(::open(log_path.c_str(),
                            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (log.get() < 0) return base::Status::Io("open " + log_path, errno);
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_init(&actions);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  // tetherctl ignores SIGPIPE; a daemon starts from default dispositions,
  // in a session of its own (no terminal's ^C or hang-up reaches it).
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, log.get(), 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int err = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) {
    return base::Status::FromErrno(base::Status::Code::kUnavailable,
                                   "cannot start attachd (" + argv[0] + ")",
                                   err);
  }
  return pid;
}

std::string ListenFile(const std::string& state_dir) {
  return state_dir + "/attachd.listen";
}

// What attachd wrote to DIR/attachd.listen once listening (HOST:PORT, the
// port it got for port 0); nullopt while there is none.
std::optional<std::string> ListeningOn(const std::string& state_dir) {
  base::UniqueFd fd(::open(ListenFile(state_dir).c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return std::nullopt;
  char buf[300];
  ssize_t n = ::read(fd.get(), buf, sizeof(buf));
  if (n <= 0) return std::nullopt;
  std::string text(buf, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  if (text.empty()) return std::nullopt;
  return text;
}

// Whether a listener could bind `listen` (numeric "IPv4:PORT" or
// "[IPv6]:PORT") now, as attachd binds it (SO_REUSEADDR).
bool CanBind(const std::string& listen) {
  base::Result<http::ListenAddress> addr = http::ParseListenAddress(listen);
  if (!addr.ok()) return false;
  const sockaddr* sa = reinterpret_cast<const sockaddr*>(&addr->addr);
  socklen_t len = sa->sa_family == AF_INET6 ? sizeof(sockaddr_in6)
                                            : sizeof(sockaddr_in);
  base::UniqueFd fd(::socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int one = 1;
  return fd &&
         ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
             0 &&
         ::bind(fd.get(), sa, len) == 0;
}

// Where a started attachd listens when run's --listen did not say: where
// the state directory's last attachd listened, if that is still free (the
// container VMs it left running redial exactly that port), else a free
// port on 127.0.0.1 (state directories side by side must not collide).
std::string DefaultListen(const std::string& state_dir) {
  std::optional<std::string> last = ListeningOn(state_dir);
  if (last && CanBind(*last)) return *last;
  return "127.0.0.1:0";
}

}  // namespace

std::string AttachdProgram() {
  const char* env = std::getenv("TETHER_ATTACHD");
  if (env != nullptr && env[0] != '\0') return env;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n > 0) {
    std::string dir(self, static_cast<size_t>(n));
    dir.erase(dir.rfind('/'));
    std::string beside = dir + "/attachd";
    if (::access(beside.c_str(), X_OK) == 0) return beside;
  }
  return "attachd";
}

base::Status EnsureAttachd(const Context& ctx, const std::string& state_dir,
                           const std::string& listen) {
  base::Result<ClientConn> probe = ClientConn::Connect(ctx.socket_path);
  if (probe.ok()) return base::Status::Ok();
  if (probe.status().code() != base::Status::Code::kUnavailable) {
    return probe.status();
  }
  TETHER_RETURN_IF_ERROR(MakeStateDir(state_dir));
  const std::string where = listen.empty() ? DefaultListen(state_dir) : listen;
  // Nothing answers, so an attachd.listen here is a dead attachd's: the
  // one about to start writes its own just after its socket takes clients.
  ::unlink(ListenFile(state_dir).c_str());
  const std::string log = state_dir + "/attachd.log";
  const std::string program = AttachdProgram();
  TETHER_ASSIGN_OR_RETURN(
      pid_t pid, SpawnDetached({program, "--state-dir", state_dir, "--listen",
                                where, "--pidfile", state_dir + "/attachd.pid"},
                               log));
  bool exited = false;
  int status = 0;
  int waited = 0;
  for (; waited < kWaitMs && !exited; waited += kPollMs) {
    exited = ::waitpid(pid, &status, WNOHANG) == pid;
    if (ClientConn::Connect(ctx.socket_path).ok()) {
      if (!exited) {
        std::optional<std::string> at = ListeningOn(state_dir);
        for (; !at && waited < kWaitMs; waited += kPollMs) {
          std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
          at = ListeningOn(state_dir);
        }
        Print(ctx.io.err, "tetherctl: started attachd (pid " +
                              std::to_string(pid) + ") for " + state_dir +
                              ", listening on " + at.value_or(where) + "\n");
      }
      // Else another tetherctl's attachd won the race: it is the one.
      return base::Status::Ok();
    }
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
  std::string why = exited ? "attachd exited at start" : "attachd did not answer";
  std::string last = LastLogLine(log);
  if (!last.empty()) why += ": " + last;
  if (!exited) ::kill(pid, SIGKILL);
  return base::Status::Unavailable(why + " (log: " + log + ")");
}

}  // namespace ctl
}  // namespace attach
