// Answers as dockerd gives them: JSON with a Content-Type of exactly
// `application/json` (the CLI prints any other error body raw), errors as
// {"message": "..."}, and the headers every dockerd response carries
// (API-Version, OSType, Docker-Experimental, Server).
#ifndef TETHER_ATTACH_ENDPOINT_API_REPLIES_H_
#define TETHER_ATTACH_ENDPOINT_API_REPLIES_H_

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "http/exchange.h"
#include "http/message.h"

namespace attach {
namespace endpoint {
namespace api {

// The API version attachd speaks: the newest the Debian 12 CLI asks for.
constexpr char kApiVersion[] = "1.41";
// The oldest it accepts (dockerd 20.10's minimum).
constexpr char kMinApiVersion[] = "1.12";

// Headers for every response.
http::Headers DockerHeaders();
// A head with the docker headers and `content_type`.
http::ResponseHead DockerHead(int status, const std::string& content_type);

void ReplyJson(http::Exchange& ex, int status, const nlohmann::json& body);
// 204 No Content (or another bodiless status: 304).
void ReplyEmpty(http::Exchange& ex, int status = 204);
void ReplyError(http::Exchange& ex, int status, const std::string& message);
// kNotFound 404, kConflict 409, kInvalidArgument 400, kPermissionDenied
// 403, everything else 500.
int HttpStatusFor(const base::Status& s);
void ReplyStatus(http::Exchange& ex, const base::Status& s);

// nlohmann's dump without throwing on invalid UTF-8 (args and env may
// hold any bytes): those become U+FFFD.
std::string DumpJson(const nlohmann::json& j);

}  // namespace api
}  // namespace endpoint
}  // namespace attach

#endif  // TETHER_ATTACH_ENDPOINT_API_REPLIES_H_
