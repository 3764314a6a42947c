#include "attach/endpoint/api/call.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "attach/endpoint/api/replies.h"
#include "http/query.h"

namespace attach {
namespace endpoint {
namespace api {

std::string Call::Query(const std::string& key) const {
  auto it = query.find(key);
  return it == query.end() ? "" : it->second;
}

std::vector<std::string> Call::QueryAll(const std::string& key) const {
  std::vector<std::string> out;
  base::Result<http::QueryPairs> pairs =
      http::ParseQueryPairs(ex->request().query);
  if (!pairs.ok()) return out;
  for (auto& [k, v] : *pairs) {
    if (k == key) out.push_back(std::move(v));
  }
  return out;
}

bool Call::QueryBool(const std::string& key) const {
  std::string v = Query(key);
  v.erase(0, v.find_first_not_of(" \t"));
  v.erase(v.find_last_not_of(" \t") + 1);
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return !(v.empty() || v == "0" || v == "no" || v == "false" || v == "none");
}

base::Result<int64_t> Call::QueryInt(const std::string& key,
                                     int64_t fallback) const {
  std::string v = Query(key);
  if (v.empty()) return fallback;
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (errno != 0 || end == v.c_str() || *end != '\0') {
    return base::Status::InvalidArgument("invalid value for " + key + ": \"" +
                                         v + "\"");
  }
  return static_cast<int64_t>(n);
}

base::Result<TerminalSize> QuerySize(const Call& call) {
  TETHER_ASSIGN_OR_RETURN(int64_t h, call.QueryInt("h", 0));
  TETHER_ASSIGN_OR_RETURN(int64_t w, call.QueryInt("w", 0));
  if (h < 0 || w < 0 || h > 65535 || w > 65535) {
    return base::Status::InvalidArgument("invalid terminal size");
  }
  return TerminalSize{static_cast<uint32_t>(h), static_cast<uint32_t>(w)};
}

Container* FindContainer(const Call& call, const std::string& ref) {
  base::Result<Container*> c = call.ctx->ops->Find(ref);
  if (c.ok()) return *c;
  ReplyStatus(*call.ex, c.status());
  return nullptr;
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
