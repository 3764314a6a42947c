// Fuzzes the admin portal's readers of outside input (request_parse.h):
// the input is split at its first two newlines into a request path, a
// Cookie header and a login form body. Checks the promises the portal's
// safety rests on: a container reference that comes out of a path is a
// plain name (no '/', no "..", no escape), and an unknown path is no page.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "attach/endpoint/admin/request_parse.h"

using attach::endpoint::admin::CookieValue;
using attach::endpoint::admin::FormField;
using attach::endpoint::admin::IsContainerRef;
using attach::endpoint::admin::Page;
using attach::endpoint::admin::ParseRoute;
using attach::endpoint::admin::PeerHost;
using attach::endpoint::admin::Route;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t a = in.find('\n');
  std::string_view path = in.substr(0, a);
  std::string_view rest =
      a == std::string_view::npos ? std::string_view() : in.substr(a + 1);
  size_t b = rest.find('\n');
  std::string_view cookie = rest.substr(0, b);
  std::string_view body =
      b == std::string_view::npos ? std::string_view() : rest.substr(b + 1);

  Route r = ParseRoute(path);
  if (r.page == Page::kContainerLogs || r.page == Page::kConsoleLog) {
    if (!IsContainerRef(r.container) ||
        r.container.find('/') != std::string::npos ||
        r.container.find('%') != std::string::npos ||
        r.container.find("..") == 0) {
      std::abort();
    }
  } else if (!r.container.empty()) {
    std::abort();
  }
  if (path.find('%') != std::string_view::npos && r.page != Page::kNotFound) {
    std::abort();
  }
  std::optional<std::string> v = CookieValue(cookie, "tether_admin");
  if (v && v->size() > 512) std::abort();
  (void)FormField(body, "password");
  (void)PeerHost(path);
  return 0;
}
