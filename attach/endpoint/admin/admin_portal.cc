#include "attach/endpoint/admin/admin_portal.h"

#include <time.h>

#include <utility>

#include "attach/endpoint/admin/pages.h"
#include "attach/endpoint/admin/replies.h"
#include "attach/endpoint/certs/server_context.h"
#include "base/log.h"
#include "http/tls_transport.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

// Sessions alive at once, addresses tracked by each limiter.
constexpr size_t kMaxSessions = 1000;
constexpr size_t kMaxTrackedHosts = 10000;
// What the TLS transport (http/tls_transport.cc) says of a client that
// hung up before finishing its handshake.
constexpr char kAbandoned[] =
    "client closed the connection during the handshake";
// Refusal lines logged per address and minute; more are dropped.
constexpr size_t kLogLinesPerMinute = 10;

http::Response ErrorPage(int status, const std::string& reason) {
  http::Response r;
  static_cast<http::ResponseHead&>(r) = AdminHead(status, kText);
  r.body = std::to_string(status) + " " + http::StatusText(status) + ": " +
           reason + "\n";
  return r;
}

}  // namespace

uint64_t MonotonicMs() {
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

AdminPortal::AdminPortal(uv_loop_t* loop, std::string state_dir,
                         AdminOptions options, AdminDeps deps)
    : loop_(loop),
      state_dir_(std::move(state_dir)),
      options_(std::move(options)),
      deps_(std::move(deps)),
      start_ms_(MonotonicMs()),
      sessions_(options_.session_ms, kMaxSessions),
      logins_(options_.max_failures, options_.failure_window_ms,
              kMaxTrackedHosts),
      log_budget_(kLogLinesPerMinute, 60 * 1000, kMaxTrackedHosts),
      ops_(loop) {}

AdminPortal::~AdminPortal() { Stop(); }

base::Result<std::unique_ptr<AdminPortal>> AdminPortal::Start(
    uv_loop_t* loop, const std::string& state_dir, AdminOptions options,
    AdminDeps deps) {
  std::unique_ptr<AdminPortal> p(
      new AdminPortal(loop, state_dir, std::move(options), std::move(deps)));
  // The portal is always TLS: the API's set, generated unless the user
  // gave files, whatever --api-tls says.
  certs::TlsOptions tls = p->options_.tls;
  if (tls.mode == certs::TlsMode::kOff) tls.mode = certs::TlsMode::kVerify;
  // Without the API, the set is made as `--api 127.0.0.1:2376` would make
  // it (its env file says so), so starting the API later changes nothing.
  // The portal's own host is among tls.extra_names (the daemon adds it).
  if (tls.api_address.empty()) tls.api_address = "127.0.0.1:2376";
  base::Result<certs::TlsMaterial> material = certs::PrepareTls(state_dir, tls);
  if (!material.ok()) return material.TakeStatus().Annotate("--admin");
  for (const std::string& e : material->events) {
    LOG_INFO("admin: %s", e.c_str());
  }
  base::Result<PasswordSource> pw =
      LoadOrCreatePassword(state_dir, p->options_.password_file);
  if (!pw.ok()) return pw.TakeStatus();
  std::string origin = pw->origin;
  bool generated = pw->generated;
  TETHER_ASSIGN_OR_RETURN(p->password_,
                          PasswordVerifier::Create(&pw->password));
  TETHER_ASSIGN_OR_RETURN(p->access_log_,
                          api::AccessLog::Open(state_dir + "/admin.log"));
  TETHER_RETURN_IF_ERROR(p->Listen(*material));
  LOG_INFO(
      "admin portal on https://%s (password %s %s; or the client "
      "certificate of %s)",
      p->options_.listen.c_str(), generated ? "generated into" : "from",
      origin.c_str(),
      material->client_dir.empty() ? "--tlscacert"
                                   : material->client_dir.c_str());
  return p;
}

base::Status AdminPortal::Listen(const certs::TlsMaterial& material) {
  base::Result<std::shared_ptr<SSL_CTX>> ctx =
      certs::MakeServerContext(material, certs::ClientAuth::kOptional);
  if (!ctx.ok()) {
    // Custom files in server mode may come without a CA: passwords only.
    LOG_WARN("admin: no client certificates (%s); password logins only",
             ctx.status().ToString().c_str());
    ctx = certs::MakeServerContext(material, certs::ClientAuth::kNone);
    if (!ctx.ok()) return ctx.TakeStatus().Annotate("--admin");
  }
  http::ServerOptions so;
  so.error_page = &ErrorPage;
  api::AccessLog* log = access_log_.get();
  so.access_log = [log](const http::AccessRecord& r) { log->Request(r); };
  so.tls_failure = [log](const std::string& peer, const std::string& why) {
    log->TlsRefused(peer, why);
    // Browsers open spare connections and drop them unused: not a refusal.
    if (why == kAbandoned) {
      LOG_INFO("admin: TLS handshake from %s abandoned by the client",
               peer.c_str());
      return;
    }
    LOG_WARN("security: admin: TLS handshake from %s refused: %s", peer.c_str(),
             why.c_str());
  };
  so.wrap_transport = http::TlsWrapper(loop_, std::move(*ctx));
  server_ = std::make_unique<http::Server>(
      loop_, [this](std::shared_ptr<http::Exchange> ex) { Serve(ex); },
      std::move(so));
  base::Status s = server_->Listen(options_.listen);
  if (!s.ok()) return s.Annotate("--admin " + options_.listen);
  return base::Status::Ok();
}

void AdminPortal::Stop() {
  ops_.CancelAll();
  if (server_) server_->Close();
}

std::string AdminPortal::Who(const http::Exchange& ex) {
  // Only a certificate the CA verified gets here with a subject.
  if (!ex.peer().client_subject.empty()) {
    return "certificate " + ex.peer().client_subject;
  }
  const std::string* cookie = ex.request().Header("cookie");
  if (cookie == nullptr) return "";
  std::optional<std::string> token = CookieValue(*cookie, kCookieName);
  if (!token || !sessions_.Valid(*token, MonotonicMs())) return "";
  return "password login";
}

bool AdminPortal::SameOrigin(const http::Exchange& ex) const {
  // Browsers say where a POST comes from; tools like curl say nothing,
  // and SameSite=Strict keeps the cookie off other sites' requests anyway.
  const http::Request& req = ex.request();
  const std::string* site = req.Header("sec-fetch-site");
  if (site != nullptr && *site != "same-origin" && *site != "none") {
    return false;
  }
  const std::string* origin = req.Header("origin");
  if (origin == nullptr) return true;
  const std::string* host = req.Header("host");
  return host != nullptr && *origin == "https://" + *host;
}

void AdminPortal::Serve(std::shared_ptr<http::Exchange> ex) {
  const http::Request& req = ex->request();
  Route route = ParseRoute(req.path);
  bool get = req.method == "GET" || req.method == "HEAD";
  bool post = req.method == "POST";
  switch (route.page) {
    case Page::kNotFound:
      return Reply(*ex, 404, kText, "404 page not found\n");
    case Page::kStyle:
      if (!get) break;
      return Reply(*ex, 200, "text/css; charset=utf-8", StyleSheet());
    case Page::kScript:
      if (!get) break;
      return Reply(*ex, 200, "text/javascript; charset=utf-8", Script());
    case Page::kLogin:
      if (get) return LoginForm(ex);
      if (post) return Login(ex);
      break;
    case Page::kLogout:
      if (post) return Logout(ex);
      break;
    default:
      if (!get) break;
      std::string who = Who(*ex);
      if (who.empty()) return Refuse(ex, route);
      switch (route.page) {
        case Page::kDashboard:
          return Dashboard(ex, who);
        case Page::kHealth:
          return Health(ex);
        case Page::kContainersJson:
          return ContainersJson(ex);
        case Page::kAttachdLog:
          return SendFile(ex, options_.log_file, false);
        case Page::kSecurityLog:
          return SendFile(ex, options_.log_file, true);
        case Page::kApiLog:
          return SendFile(ex, state_dir_ + "/api.log", false);
        case Page::kAdminLog:
          return SendFile(ex, state_dir_ + "/admin.log", false);
        case Page::kBundle:
          return Bundle(ex);
        case Page::kContainerLogs:
          return ContainerLogs(ex, route.container);
        case Page::kConsoleLog:
          return ConsoleLog(ex, route.container);
        default:
          break;
      }
  }
  http::Response r = ErrorPage(405, "method not allowed");
  r.headers.push_back({"Allow", route.page == Page::kLogin    ? "GET, POST"
                                : route.page == Page::kLogout ? "POST"
                                                              : "GET, HEAD"});
  ex->Respond(std::move(r));
}

void AdminPortal::Refuse(const std::shared_ptr<http::Exchange>& ex,
                         const Route& route) {
  const http::Request& req = ex->request();
  // A browser's first visit is not worth a line; anything else is.
  if (route.page != Page::kDashboard) {
    std::string host = PeerHost(ex->peer().address);
    uint64_t now = MonotonicMs();
    if (log_budget_.WaitMs(host, now) == 0) {
      log_budget_.RecordFailure(host, now);
      LOG_WARN(
          "security: admin: request from %s refused: no client "
          "certificate and no login session: %s %s",
          ex->peer().address.c_str(), req.method.c_str(),
          req.path.substr(0, 200).c_str());
    }
  }
  if (route.page == Page::kDashboard) {
    return Reply(*ex, 401, kHtml, LoginPage(""));
  }
  Reply(*ex, 401, kText,
        "401 Unauthorized: log in at /login, or present the client "
        "certificate\n");
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
