// The TLS material of attachd's Docker API (and its admin portal):
// generated on first start or loaded from the user's files, checked, and
// described well enough to tell the user how to connect (docs/tls.md).
//
//   TETHER_ASSIGN_OR_RETURN(TlsMaterial tls, PrepareTls(state_dir, options));
//   for (auto& e : tls.events) LOG(INFO) << e;
//   for (auto& w : tls.warnings) LOG(WARNING) << w;
//   LOG(INFO) << tls.ConnectHint();
//   TETHER_ASSIGN_OR_RETURN(auto ctx, MakeServerContext(tls, ...));
//
// Everything here blocks on small local files and is meant for start-up
// (or a periodic re-check), on any one thread at a time.
#ifndef TETHER_ATTACH_ENDPOINT_CERTS_TLS_MATERIAL_H_
#define TETHER_ATTACH_ENDPOINT_CERTS_TLS_MATERIAL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "attach/endpoint/certs/credentials.h"
#include "attach/endpoint/certs/listen_address.h"
#include "attach/endpoint/certs/san_set.h"
#include "base/result.h"

namespace attach {
namespace endpoint {
namespace certs {

// --api-tls: VIC's three modes (shared/docker-api.md §10).
enum class TlsMode {
  kVerify,  // TLS 1.2+, client certificate required and checked.
  kServer,  // TLS with the server certificate only.
  kOff,     // Plain HTTP; the caller warns loudly.
};

// "verify", "server" or "off"; kInvalidArgument otherwise.
base::Result<TlsMode> ParseTlsMode(std::string_view text);
const char* TlsModeName(TlsMode mode);

struct TlsOptions {
  TlsMode mode = TlsMode::kVerify;
  std::string api_address;  // --api HOST:PORT; required.
  // --tlscacert, --tlscert, --tlskey: the user's own files. All empty:
  // attachd generates its own under STATE_DIR/certs/.
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::vector<std::string> extra_names;  // --tls-san: IP literal or DNS.
  std::string hostname;                  // Empty: gethostname(2). Set by tests.
};

struct TlsMaterial {
  TlsMode mode = TlsMode::kOff;
  bool generated = false;   // attachd's own files under STATE_DIR/certs.
  ListenAddress api;        // The parsed --api.
  std::string docker_host;  // "tcp://127.0.0.1:2376", for DOCKER_HOST.

  // Absolute paths (generated) or as given (custom). ca_file is empty in
  // server mode when the user gave no --tlscacert.
  std::string ca_file;
  std::string cert_file;  // Server certificate, intermediates after it.
  std::string key_file;
  // Generated only: the DOCKER_CERT_PATH bundle (ca.pem, cert.pem,
  // key.pem) and its env file of DOCKER_* lines; empty otherwise.
  std::string client_dir;
  std::string env_file;

  SanSet server_names;  // The names the server certificate carries.
  // What PrepareTls did ("re-issued the server certificate ..."), for
  // the log at info level, and what the user should fix, at warning.
  std::vector<std::string> events;
  std::vector<std::string> warnings;

  // Parsed and checked; null in off mode.
  std::shared_ptr<const Credentials> credentials;

  // One line for the start-up log that tells how to connect, e.g.
  // "connect with: DOCKER_CERT_PATH=/d/certs/client docker --tlsverify
  //  -H tcp://127.0.0.1:2376 version, or: source /d/certs/client/env".
  std::string ConnectHint() const;
};

// Prepares the material for `options`; `state_dir` must exist.
//
// Off mode touches nothing. Otherwise, without custom files, the set under
// STATE_DIR/certs/ is created on first use and reused after: only what no
// longer fits is re-issued from the existing CA (the server certificate
// when its names differ from the needed ones, or it is invalid or within
// 30 days of expiry; the client certificate likewise), so a client
// bundle handed out stays valid. A new CA is made only when there is none
// or it expires within 30 days.
//
// Errors (each names the flag or file and the problem): kInvalidArgument
// for bad options or files (not PEM, key mismatch, not signed by the CA,
// expired, CA not a CA, incomplete set); kNotFound for a missing custom
// file; kPermissionDenied for a tampered certs directory (symlink, other
// owner, private key readable by others); kIoError for failed writes.
base::Result<TlsMaterial> PrepareTls(const std::string& state_dir,
                                     const TlsOptions& options);

}  // namespace certs
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_CERTS_TLS_MATERIAL_H_
