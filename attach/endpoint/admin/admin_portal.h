// attachd's admin portal (docs/admin.md): HTTPS on --admin HOST:PORT
// (2378 by convention) for the operator of a container host: health, the
// containers, and their logs and attachd's, for people (a password login)
// and for monitoring (the Docker API's client certificate).
//
//   GET  /login, POST /login, POST /logout      the password login
//   GET  /                                      the dashboard
//   GET  /health, /containers.json              JSON
//   GET  /logs/attachd.log, /logs/api.log, /logs/admin.log, /logs/security
//   GET  /logs/bundle.tar.gz                    every log, for a bug report
//   GET  /containers/REF/logs, /containers/REF/console.log
//
// Everything but /login and the two static files needs a verified client
// certificate or a session cookie; otherwise 401. TLS 1.2+ with the server
// certificate of DIR/certs (certs/tls_material.h); client certificates are
// requested, and checked against the CA when sent (ClientAuth::kOptional).
// Logins, refusals and refused handshakes are logged as "security: ..."
// lines in attachd's log; every request goes to DIR/admin.log.
//
// Loop thread only.
#ifndef TETHER_ATTACH_ENDPOINT_ADMIN_ADMIN_PORTAL_H_
#define TETHER_ATTACH_ENDPOINT_ADMIN_ADMIN_PORTAL_H_

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "attach/endpoint/admin/failure_limiter.h"
#include "attach/endpoint/admin/health.h"
#include "attach/endpoint/admin/password.h"
#include "attach/endpoint/admin/request_parse.h"
#include "attach/endpoint/admin/session_store.h"
#include "attach/endpoint/api/access_log.h"
#include "attach/endpoint/api/op_set.h"
#include "attach/endpoint/certs/tls_material.h"
#include "base/result.h"
#include "http/server.h"

namespace attach {
namespace endpoint {
namespace admin {

constexpr char kAdminVersion[] = "0.1.0";

struct AdminOptions {
  std::string listen;         // --admin HOST:PORT; empty: no portal.
  std::string password_file;  // --admin-password-file; empty: generated.
  // The TLS set to serve: the API's options (its mode is ignored: the
  // portal is always TLS, from the generated set unless custom files are
  // given), with the portal's host among extra_names. An empty
  // api_address: the set of `--api 127.0.0.1:2376`.
  certs::TlsOptions tls;
  std::string log_file;  // attachd's own log (log_file.h).
  // How long a login lasts, and the login rate limit per address.
  uint64_t session_ms = 12 * 3600 * 1000;
  size_t max_failures = 5;
  uint64_t failure_window_ms = 60 * 1000;
};

// What the portal reads of attachd; all outlive the portal.
struct AdminDeps {
  Registry* registry = nullptr;
  VmImage image;
  // Each listener's state, for /health.
  std::function<std::vector<ListenerState>()> listeners;
};

class AdminPortal {
 public:
  // Loads or generates the password, prepares TLS and listens. Errors name
  // the flag or file at fault.
  static base::Result<std::unique_ptr<AdminPortal>> Start(
      uv_loop_t* loop, const std::string& state_dir, AdminOptions options,
      AdminDeps deps);
  ~AdminPortal();
  AdminPortal(const AdminPortal&) = delete;
  AdminPortal& operator=(const AdminPortal&) = delete;

  // Closes the listener, every connection and every download. Idempotent.
  void Stop();
  uint16_t port() const { return server_ ? server_->port() : 0; }

 private:
  AdminPortal(uv_loop_t* loop, std::string state_dir, AdminOptions options,
              AdminDeps deps);
  base::Status Listen(const certs::TlsMaterial& material);
  void Serve(std::shared_ptr<http::Exchange> ex);
  // Who the request comes from ("certificate CN=..." or "password login"),
  // or "" when nobody.
  std::string Who(const http::Exchange& ex);
  void Refuse(const std::shared_ptr<http::Exchange>& ex, const Route& route);
  bool SameOrigin(const http::Exchange& ex) const;

  // login_routes.cc
  void LoginForm(const std::shared_ptr<http::Exchange>& ex);
  void Login(const std::shared_ptr<http::Exchange>& ex);
  void FinishLogin(const std::shared_ptr<http::Exchange>& ex, bool ok);
  void Logout(const std::shared_ptr<http::Exchange>& ex);

  // view_routes.cc
  void Dashboard(const std::shared_ptr<http::Exchange>& ex,
                 const std::string& who);
  void Health(const std::shared_ptr<http::Exchange>& ex);
  void ContainersJson(const std::shared_ptr<http::Exchange>& ex);
  void SendFile(const std::shared_ptr<http::Exchange>& ex,
                const std::string& path, bool security_only);
  void ContainerLogs(const std::shared_ptr<http::Exchange>& ex,
                     const std::string& ref);
  void ConsoleLog(const std::shared_ptr<http::Exchange>& ex,
                  const std::string& ref);
  void Bundle(const std::shared_ptr<http::Exchange>& ex);
  nlohmann::json HealthDoc() const;
  nlohmann::json ContainerList() const;

  uv_loop_t* loop_;
  std::string state_dir_;
  AdminOptions options_;
  AdminDeps deps_;
  uint64_t start_ms_;
  std::shared_ptr<const PasswordVerifier> password_;
  SessionStore sessions_;
  FailureLimiter logins_;
  FailureLimiter log_budget_;  // Refusal lines per address.
  api::OpSet ops_;
  std::unique_ptr<api::AccessLog> access_log_;
  std::unique_ptr<http::Server> server_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// Milliseconds on CLOCK_MONOTONIC (sessions and the rate limit).
uint64_t MonotonicMs();

}  // namespace admin
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_ADMIN_ADMIN_PORTAL_H_
