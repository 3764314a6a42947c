#include "attach/endpoint/api/replies.h"

#include <utility>

namespace attach {
namespace endpoint {
namespace api {

http::Headers DockerHeaders() {
  return {{"Api-Version", kApiVersion},
          {"Docker-Experimental", "false"},
          {"Ostype", "linux"},
          {"Server", "Docker/20.10.24 (linux) tether-attachd"}};
}

http::ResponseHead DockerHead(int status, const std::string& content_type) {
  http::ResponseHead head;
  head.status = status;
  head.content_type = content_type;
  head.headers = DockerHeaders();
  return head;
}

void ReplyJson(http::Exchange& ex, int status, const nlohmann::json& body) {
  http::Response r;
  static_cast<http::ResponseHead&>(r) = DockerHead(status, "application/json");
  r.body = DumpJson(body) + "\n";
  ex.Respond(std::move(r));
}

void ReplyEmpty(http::Exchange& ex, int status) {
  http::Response r;
  static_cast<http::ResponseHead&>(r) = DockerHead(status, "");
  ex.Respond(std::move(r));
}

void ReplyError(http::Exchange& ex, int status, const std::string& message) {
  ReplyJson(ex, status, nlohmann::json{{"message", message}});
}

int HttpStatusFor(const base::Status& s) {
  switch (s.code()) {
    case base::Status::Code::kNotFound:
      return 404;
    case base::Status::Code::kConflict:
      return 409;
    case base::Status::Code::kInvalidArgument:
      return 400;
    case base::Status::Code::kPermissionDenied:
      return 403;
    default:
      return 500;
  }
}

void ReplyStatus(http::Exchange& ex, const base::Status& s) {
  ReplyError(ex, HttpStatusFor(s), s.message());
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace api
}  // namespace endpoint
}  // namespace attach
