// DIR/api.log: one line per Docker API request (who, what, the status,
// how long) and per refused TLS handshake, for the operator and for the
// admin portal. Who is the client certificate's subject over TLS with
// client certificates, else the peer address; never a header, body or
// query value beyond the request target.
//
// Size-capped: past kMaxBytes the file moves to api.log.1 (replacing the
// one before) and a new one starts, as docker's json-file driver rotates.
//
// Loop thread only; a line is one write(2) with O_APPEND.
#ifndef TETHER_ATTACH_ENDPOINT_API_ACCESS_LOG_H_
#define TETHER_ATTACH_ENDPOINT_API_ACCESS_LOG_H_

#include <cstdint>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "http/options.h"

namespace attach {
namespace endpoint {
namespace api {

class AccessLog {
 public:
  static constexpr uint64_t kMaxBytes = 16 << 20;

  // Opens (creating, 0600) `path` for appending.
  static base::Result<std::unique_ptr<AccessLog>> Open(std::string path);

  void Request(const http::AccessRecord& r);
  void TlsRefused(const std::string& peer, const std::string& reason);

 private:
  AccessLog(std::string path, base::UniqueFd fd, uint64_t size)
      : path_(std::move(path)), fd_(std::move(fd)), size_(size) {}
  void Write(const std::string& line);

  std::string path_;
  base::UniqueFd fd_;
  uint64_t size_;
};

// The log line of `r` without the time stamp (tests compare it).
std::string FormatAccess(const http::AccessRecord& r);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_ACCESS_LOG_H_
