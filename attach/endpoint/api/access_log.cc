#include "attach/endpoint/api/access_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "attach/docker/time_format.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace api {
namespace {

// Peer-supplied text (the target, a certificate subject) in quotes with
// controls, quotes and backslashes escaped, so a line is always one line.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// At most this much of a target goes into the log.
constexpr size_t kMaxTarget = 512;

}  // namespace

std::string FormatAccess(const http::AccessRecord& r) {
  std::string who =
      r.peer.client_subject.empty() ? "-" : Quoted(r.peer.client_subject);
  std::string target = r.target.size() > kMaxTarget
                           ? r.target.substr(0, kMaxTarget) + "..."
                           : r.target;
  char tail[96];
  std::snprintf(tail, sizeof(tail), " %d %.3fms %llu%s", r.status,
                static_cast<double>(r.duration_us) / 1000.0,
                static_cast<unsigned long long>(r.bytes_sent),
                r.hijacked ? " hijacked" : "");
  return r.peer.address + " " + who + " " + Quoted(r.method + " " + target) +
         tail;
}

base::Result<std::unique_ptr<AccessLog>> AccessLog::Open(std::string path) {
  base::UniqueFd fd(
      ::open(path.c_str(),
             O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return base::Status::Io("open " + path, errno);
  struct stat st;
  uint64_t size = ::fstat(fd.get(), &st) == 0 ? st.st_size : 0;
  return std::unique_ptr<AccessLog>(
      new AccessLog(std::move(path), std::move(fd), size));
}

void AccessLog::Request(const http::AccessRecord& r) { Write(FormatAccess(r)); }

void AccessLog::TlsRefused(const std::string& peer, const std::string& reason) {
  Write(peer + " - " + Quoted("TLS handshake refused: " + reason));
}

void AccessLog::Write(const std::string& body) {
  std::string line = docker::FormatRfc3339NanoFixed(docker::NowUnixNanos()) +
                     " " + body + "\n";
  if (size_ + line.size() > kMaxBytes &&
      ::rename(path_.c_str(), (path_ + ".1").c_str()) == 0) {
    base::UniqueFd fresh(::open(
        path_.c_str(),
        O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_EXCL, 0600));
    // Without a fresh file the old descriptor (now api.log.1) goes on.
    if (fresh) {
      fd_ = std::move(fresh);
      size_ = 0;
    }
  }
  if (::write(fd_.get(), line.data(), line.size()) < 0) {
    LOG_WARN("%s: %s", path_.c_str(), std::strerror(errno));
    return;
  }
  size_ += line.size();
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
