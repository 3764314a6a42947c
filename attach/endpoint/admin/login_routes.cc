// The password login: GET /login (the form), POST /login, POST /logout.
//
// A POST /login counts as a failure for its address as soon as it comes
// in, before its body is read and the password checked (scrypt, on the
// thread pool); the failure is forgotten when the password was right. So
// parallel guesses count at once. After
// max_failures within the window the address gets 429 with Retry-After.
#include <cstdio>

#include "attach/endpoint/admin/admin_portal.h"
#include "attach/endpoint/admin/pages.h"
#include "attach/endpoint/admin/replies.h"
#include "base/log.h"

namespace attach {
namespace endpoint {
namespace admin {
namespace {

// A login form is a password and a little framing.
constexpr size_t kMaxLoginBody = 4096;

}  // namespace

void AdminPortal::LoginForm(const std::shared_ptr<http::Exchange>& ex) {
  if (!Who(*ex).empty()) return Redirect(*ex, "/", "");
  Reply(*ex, 200, kHtml, LoginPage(""));
}

void AdminPortal::Login(const std::shared_ptr<http::Exchange>& ex) {
  const std::string& peer = ex->peer().address;
  if (!SameOrigin(*ex)) {
    LOG_WARN("security: admin: login from %s refused: cross-site request",
             peer.c_str());
    return Reply(*ex, 403, kText, "403 Forbidden: cross-site login\n");
  }
  std::string host = PeerHost(peer);
  uint64_t wait_ms = logins_.WaitMs(host, MonotonicMs());
  if (wait_ms > 0) {
    uint64_t wait_s = (wait_ms + 999) / 1000;
    if (log_budget_.WaitMs(host, MonotonicMs()) == 0) {
      log_budget_.RecordFailure(host, MonotonicMs());
      LOG_WARN(
          "security: admin: login from %s refused: too many failed "
          "logins (retry in %llu s)",
          peer.c_str(), static_cast<unsigned long long>(wait_s));
    }
    http::Response r;
    static_cast<http::ResponseHead&>(r) = AdminHead(429, kHtml);
    r.headers.push_back({"Retry-After", std::to_string(wait_s)});
    r.body = LoginPage(
        "Too many failed logins from your address; try again "
        "in " +
        std::to_string(wait_s) + " s.");
    return ex->Respond(std::move(r));
  }
  // Counted now, before the body is even read: guesses sent in parallel
  // meet the limit as they arrive.
  logins_.RecordFailure(host, MonotonicMs());
  std::weak_ptr<int> alive = alive_;
  ex->ReadBody(kMaxLoginBody, [this, alive, ex](const base::Status& s) {
    if (alive.expired() || !s.ok()) return;
    base::Result<std::string> password =
        FormField(ex->request().body, "password");
    ex->request().body.clear();
    if (!password.ok()) {
      return Reply(*ex, 400, kText, "400 Bad Request: malformed form\n");
    }
    MatchAsync(loop_, password_, std::move(*password),
               [this, alive, ex](bool ok) {
                 if (!alive.expired()) FinishLogin(ex, ok);
               });
  });
}

void AdminPortal::FinishLogin(const std::shared_ptr<http::Exchange>& ex,
                              bool ok) {
  const std::string& peer = ex->peer().address;
  if (!ok) {
    LOG_WARN("security: admin: login from %s failed: wrong password",
             peer.c_str());
    return Reply(*ex, 401, kHtml, LoginPage("Wrong password."));
  }
  logins_.Clear(PeerHost(peer));
  base::Result<std::string> token = sessions_.Create(MonotonicMs());
  if (!token.ok()) {
    return Reply(*ex, 500, kText, "500: " + token.status().ToString() + "\n");
  }
  LOG_INFO("security: admin: login from %s succeeded", peer.c_str());
  Redirect(*ex, "/", SessionCookie(*token, sessions_.lifetime_ms() / 1000));
}

void AdminPortal::Logout(const std::shared_ptr<http::Exchange>& ex) {
  if (!SameOrigin(*ex)) {
    return Reply(*ex, 403, kText, "403 Forbidden: cross-site logout\n");
  }
  const std::string* cookie = ex->request().Header("cookie");
  std::optional<std::string> token;
  if (cookie != nullptr) token = CookieValue(*cookie, kCookieName);
  if (token && sessions_.Valid(*token, MonotonicMs())) {
    sessions_.Remove(*token);
    LOG_INFO("security: admin: logout from %s", ex->peer().address.c_str());
  }
  Redirect(*ex, "/login", SessionCookie("", 0));
}

}  // namespace admin
}  // namespace endpoint
}  // namespace attach
